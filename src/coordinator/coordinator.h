// Coordinator: the shared coordinator agent. It owns the task board, the agent
// directory and the event stream, runs every protocol operation, and defers to
// the stage's policies for sessions, access, validation and persistence.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "coordinator/agent_directory.h"
#include "coordinator/coordinator_options.h"
#include "coordinator/event_bus.h"
#include "coordinator/guard_chain.h"
#include "coordinator/policies.h"
#include "core/clock.h"
#include "core/task_board.h"
#include "net/line_server.h"

namespace lab::coordinator {

struct CoordinatorParts {
  std::unique_ptr<SessionPolicy> sessions;
  std::unique_ptr<AccessPolicy> access;
  std::unique_ptr<StateStore> store;  // may be null: nothing persisted
  CoordinatorOptions options;
  // The stage's controls in the order they run (they may refer to the policies
  // above, which outlive them). An authentication guard must set the caller.
  GuardChain guards;
};

class Coordinator final : public net::LineHandler {
 public:
  Coordinator(CoordinatorParts parts, AgentDirectory& directory, const Clock& clock = system_clock());
  ~Coordinator() override;

  // Loads saved state, if any.
  void load_state();
  // Writes pending state now.
  void flush_state();

  // net::LineHandler
  net::LineReply on_line(std::string_view line, net::ConnectionContext& connection) override;
  std::string on_oversized_line(net::ConnectionContext& connection) override;
  std::string on_handler_failure(net::ConnectionContext& connection) override;

  TaskBoard& board() { return board_; }
  const GuardChain& guards() const { return parts_.guards; }
  EventBus& events() { return events_; }
  AgentDirectory& directory() { return directory_; }

 private:
  using Handler = Result<Json> (Coordinator::*)(const Caller&, const Request&, const RequestOrigin&);
  // One row of the operation table: everything the dispatcher needs to know.
  struct Operation {
    Permission permission;  // what the stage's access rules are asked about
    bool mutates;           // changes persisted state
    Handler handler;
  };

  std::string respond(const Request& request, const RequestOrigin& origin);
  Result<Json> dispatch(const Request& request, const RequestOrigin& origin);
  void publish(std::string_view kind, const Caller& caller, const Request& request, const RequestOrigin& origin,
               Json data);
  Json session_ref(const std::optional<std::string>& session_id) const;
  Json state_snapshot() const;
  void state_changed();

  Result<Json> op_login(const Caller&, const Request&, const RequestOrigin&);
  Result<Json> op_logout(const Caller&, const Request&, const RequestOrigin&);
  Result<Json> op_register_worker(const Caller&, const Request&, const RequestOrigin&);
  Result<Json> op_create_project(const Caller&, const Request&, const RequestOrigin&);
  Result<Json> op_list_projects(const Caller&, const Request&, const RequestOrigin&);
  Result<Json> op_get_project(const Caller&, const Request&, const RequestOrigin&);
  Result<Json> op_create_task(const Caller&, const Request&, const RequestOrigin&);
  Result<Json> op_list_tasks(const Caller&, const Request&, const RequestOrigin&);
  Result<Json> op_claim_task(const Caller&, const Request&, const RequestOrigin&);
  Result<Json> op_update_task_status(const Caller&, const Request&, const RequestOrigin&);
  Result<Json> op_get_session_info(const Caller&, const Request&, const RequestOrigin&);
  Result<Json> op_change_role(const Caller&, const Request&, const RequestOrigin&);
  Result<Json> op_subscribe_events(const Caller&, const Request&, const RequestOrigin&);

  Result<Caller> run_guards(const Request& request, const RequestOrigin& origin, Permission permission);

  CoordinatorParts parts_;
  AgentDirectory& directory_;
  const Clock& clock_;
  TaskBoard board_;
  EventBus events_;
  std::unordered_map<std::string_view, Operation> operations_;
};

}  // namespace lab::coordinator
