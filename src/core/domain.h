// Domain types shared by every stage: projects, tasks, agents, roles.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/task_status.h"

namespace lab {

using Json = nlohmann::json;

enum class Role { kAdmin, kCoordinator, kWorker, kObserver };
std::string_view to_string(Role role);
std::optional<Role> role_from_string(std::string_view name);

enum class Specialty { kDataAnalysis, kCodeReview, kTesting, kDocumentation };
inline constexpr Specialty kAllSpecialties[] = {Specialty::kDataAnalysis, Specialty::kCodeReview,
                                                Specialty::kTesting, Specialty::kDocumentation};
std::string_view to_string(Specialty specialty);
std::optional<Specialty> specialty_from_string(std::string_view name);

struct Project {
  std::string id;
  std::string name;
  std::string description;
  std::string owner;         // agent id of the creator
  std::int64_t created_at;   // unix seconds
  Json metadata = Json::object();
};

struct Task {
  std::string id;
  std::string project_id;
  Specialty specialty = Specialty::kDataAnalysis;
  std::string description;
  std::string input;          // the data the worker operates on
  int priority = 0;
  TaskStatus status = TaskStatus::kSubmitted;
  std::string assignee;       // empty until claimed
  Json result;                // null until reported
  std::uint64_t version = 1;  // bumped by every change
};

struct AgentInfo {
  std::string id;
  Role role = Role::kWorker;
  std::vector<Specialty> specialties;
};

Json to_json(const Project& p);
Json to_json(const Task& t);
Json to_json(const AgentInfo& a);
Project project_from_json(const Json& j);  // trusted input (state files); throws on shape errors
Task task_from_json(const Json& j);
AgentInfo agent_from_json(const Json& j);

}  // namespace lab
