#include "bench_project.h"

#include "client/session.h"
#include "core/json_fields.h"  // LAB_ASSIGN_OR_RETURN

namespace lab::bench {

Result<std::string> create_bench_project(net::ProtocolClient& lead, const std::string& name, int tasks) {
  auto project = lead.call("create_project", Json{{"name", name}});
  if (!project) return project.error();
  const std::string id = project->value("id", "");
  for (int t = 0; t < tasks; ++t) {
    auto task = lead.call("create_task", Json{{"project_id", id},
                                              {"specialty", to_string(kAllSpecialties[t % 4])},
                                              {"description", "bench task"},
                                              {"input", "a b c"}});
    if (!task) return task.error();
  }
  return id;
}

std::vector<std::string> get_project_lines(net::ProtocolClient& reader, const std::string& project_id, int count,
                                           int& sent) {
  std::vector<std::string> lines;
  lines.reserve(static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) {
    Json request{{"type", "get_project"},
                 {"request_id", ++sent},
                 {"session_id", reader.session_id.value_or("")},
                 {"payload", {{"project_id", project_id}}}};
    if (reader.hook) reader.hook(request);
    lines.push_back(request.dump());
  }
  return lines;
}

Result<BenchReaders> log_in_readers(int stage, const net::ClientOptions& endpoint, int connections) {
  const auto& profile = client::profile_for(stage);
  BenchReaders out;
  LAB_ASSIGN_OR_RETURN(auto lead, client::open_session(stage, endpoint, profile.lab_identity("bench-owner", "alice",
                                                                                             Role::kCoordinator)));
  LAB_ASSIGN_OR_RETURN(out.project_id, create_bench_project(*lead, "bench 4 tasks", 4));
  for (int c = 0; c < connections; ++c) {
    net::ClientOptions from = endpoint;
    from.bind_address = "127.0.0." + std::to_string(20 + c % 200);
    LAB_ASSIGN_OR_RETURN(auto reader, client::open_session(stage, from, profile.lab_identity("bench-reader", "bob",
                                                                                             Role::kObserver)));
    out.readers.push_back(std::move(reader));
  }
  return out;
}

ReaderLoad reader_load(BenchReaders& readers, int requests, int& sent) {
  ReaderLoad load;
  for (auto& reader : readers.readers) {
    load.lines.push_back(get_project_lines(*reader, readers.project_id, requests, sent));
    load.connections.push_back(&reader->line());
  }
  return load;
}

}  // namespace lab::bench
