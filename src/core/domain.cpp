#include "core/domain.h"

#include <stdexcept>

#include "core/enum_names.h"

namespace lab {
namespace {

constexpr NameTable<Role, 4> kRoles{{
    {Role::kAdmin, "admin"},
    {Role::kCoordinator, "coordinator"},
    {Role::kWorker, "worker"},
    {Role::kObserver, "observer"},
}};

constexpr NameTable<Specialty, 4> kSpecialties{{
    {Specialty::kDataAnalysis, "data_analysis"},
    {Specialty::kCodeReview, "code_review"},
    {Specialty::kTesting, "testing"},
    {Specialty::kDocumentation, "documentation"},
}};

template <class E>
E parse_or_throw(std::optional<E> v, const char* what) {
  if (!v) throw std::invalid_argument(std::string("unknown ") + what);
  return *v;
}

}  // namespace

std::string_view to_string(Role role) { return name_of(kRoles, role, "unknown"); }
std::optional<Role> role_from_string(std::string_view name) { return value_of(kRoles, name); }
std::string_view to_string(Specialty s) { return name_of(kSpecialties, s, "unknown"); }
std::optional<Specialty> specialty_from_string(std::string_view name) {
  return value_of(kSpecialties, name);
}

Json to_json(const Project& p) {
  return Json{{"id", p.id},       {"name", p.name},           {"description", p.description},
              {"owner", p.owner}, {"created_at", p.created_at}, {"metadata", p.metadata}};
}

Json to_json(const Task& t) {
  return Json{{"id", t.id},
              {"project_id", t.project_id},
              {"specialty", to_string(t.specialty)},
              {"description", t.description},
              {"input", t.input},
              {"priority", t.priority},
              {"status", to_string(t.status)},
              {"assignee", t.assignee},
              {"result", t.result},
              {"version", t.version}};
}

Json to_json(const AgentInfo& a) {
  Json specialties = Json::array();
  for (auto s : a.specialties) specialties.push_back(to_string(s));
  return Json{{"id", a.id}, {"role", to_string(a.role)}, {"specialties", specialties}};
}

Project project_from_json(const Json& j) {
  return Project{j.at("id").get<std::string>(),          j.at("name").get<std::string>(),
                 j.at("description").get<std::string>(), j.at("owner").get<std::string>(),
                 j.at("created_at").get<std::int64_t>(), j.value("metadata", Json::object())};
}

Task task_from_json(const Json& j) {
  Task t;
  t.id = j.at("id").get<std::string>();
  t.project_id = j.at("project_id").get<std::string>();
  t.specialty = parse_or_throw(specialty_from_string(j.at("specialty").get<std::string>()), "specialty");
  t.description = j.at("description").get<std::string>();
  t.input = j.value("input", std::string{});
  t.priority = j.at("priority").get<int>();
  t.status = parse_or_throw(task_status_from_string(j.at("status").get<std::string>()), "status");
  t.assignee = j.at("assignee").get<std::string>();
  t.result = j.value("result", Json());
  t.version = j.at("version").get<std::uint64_t>();
  return t;
}

AgentInfo agent_from_json(const Json& j) {
  AgentInfo a;
  a.id = j.at("id").get<std::string>();
  a.role = parse_or_throw(role_from_string(j.at("role").get<std::string>()), "role");
  for (const auto& s : j.at("specialties")) {
    a.specialties.push_back(parse_or_throw(specialty_from_string(s.get<std::string>()), "specialty"));
  }
  return a;
}

}  // namespace lab
