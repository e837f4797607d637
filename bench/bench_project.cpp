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

}  // namespace lab::bench
