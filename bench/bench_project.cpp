#include "bench_project.h"

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

}  // namespace lab::bench
