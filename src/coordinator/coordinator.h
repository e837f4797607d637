// Coordinator: the shared coordinator agent. It runs every protocol operation
// over the stage's stores (tasks, agents, sessions, events), after the stage's
// chain of controls has passed the request.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "coordinator/coordinator_options.h"
#include "coordinator/guard_chain.h"
#include "coordinator/optimistic_admission.h"
#include "coordinator/policies.h"
#include "core/clock.h"
#include "core/reply.h"
#include "store/store_set.h"

namespace lab::coordinator {

struct CoordinatorParts {
  // Where everything is kept; coordinators sharing one set see one state.
  std::shared_ptr<store::StoreSet> stores;
  std::unique_ptr<SessionPolicy> sessions;
  std::unique_ptr<AccessPolicy> access;
  CoordinatorOptions options;
  // The stage's controls in the order they run (they may refer to the policies
  // above, which outlive them). An authentication guard must set the caller.
  GuardChain guards;
  // A stage whose shared control state is remote may admit a request in one round trip (stage 4); null: every
  // request runs the chain control by control.
  std::unique_ptr<OptimisticAdmission> admission;
};

// Transport-neutral: a front (the newline-JSON TCP server today, HTTPS in
// stage 5) turns what it receives into a Request and an origin, calls
// handle(), and serializes the answer; pushed events reach it through the
// origin's event stream.
class Coordinator {
 public:
  explicit Coordinator(CoordinatorParts parts, const Clock& clock = system_clock());

  // Loads saved state, if any (throws when the stores cannot vouch for it).
  void load_state() { parts_.stores->load(); }
  // Writes pending state now.
  void flush_state() { parts_.stores->flush(); }

  // Runs one request through the stage's controls and the operation; a
  // refusal is also published as a request_rejected event.
  Result<Reply> handle(const Request& request, const RequestOrigin& origin);
  // A message the front could not turn into a request (malformed, too large):
  // published as a request_rejected event.
  void record_unreadable(const Error& error, const Json& request_id, const RequestOrigin& origin);
  // True for operations whose work is slow on purpose (password hashing): a
  // front runs them off its io threads.
  bool is_slow(std::string_view type) const;
  // Switches one control of the chain to `mode`. Refused for an unknown name,
  // and for the stage's last enforced authentication control (nothing would
  // know who is calling).
  Status set_control_mode(std::string_view name, GuardMode mode);

  const GuardChain& guards() const { return parts_.guards; }
  store::StoreSet& stores() { return *parts_.stores; }

 private:
  using Handler = Result<Reply> (Coordinator::*)(const Caller&, const Request&, const RequestOrigin&);
  // One row of the operation table: everything the dispatcher needs to know.
  struct Operation {
    Permission permission;  // what the stage's access rules are asked about
    bool mutates;           // changes stored state
    Handler handler;
    bool slow = false;      // runs off the front's io threads
  };

  Result<Reply> dispatch(const Request& request, const RequestOrigin& origin);
  void publish(std::string_view kind, const Caller& caller, const Request& request, const RequestOrigin& origin,
               Json data);
  Json session_ref(const std::optional<std::string>& session_id) const;

  Result<Reply> op_login(const Caller&, const Request&, const RequestOrigin&);
  Result<Reply> op_logout(const Caller&, const Request&, const RequestOrigin&);
  Result<Reply> op_register_worker(const Caller&, const Request&, const RequestOrigin&);
  Result<Reply> op_create_project(const Caller&, const Request&, const RequestOrigin&);
  Result<Reply> op_list_projects(const Caller&, const Request&, const RequestOrigin&);
  Result<Reply> op_get_project(const Caller&, const Request&, const RequestOrigin&);
  Result<Reply> op_create_task(const Caller&, const Request&, const RequestOrigin&);
  Result<Reply> op_list_tasks(const Caller&, const Request&, const RequestOrigin&);
  Result<Reply> op_claim_task(const Caller&, const Request&, const RequestOrigin&);
  Result<Reply> op_update_task_status(const Caller&, const Request&, const RequestOrigin&);
  Result<Reply> op_get_session_info(const Caller&, const Request&, const RequestOrigin&);
  Result<Reply> op_change_role(const Caller&, const Request&, const RequestOrigin&);
  Result<Reply> op_subscribe_events(const Caller&, const Request&, const RequestOrigin&);
  Result<Reply> op_list_sessions(const Caller&, const Request&, const RequestOrigin&);
  Result<Reply> op_migrate_session(const Caller&, const Request&, const RequestOrigin&);
  Result<Reply> op_backup_state(const Caller&, const Request&, const RequestOrigin&);
  Result<Reply> op_revoke_session(const Caller&, const Request&, const RequestOrigin&);
  Result<Reply> op_enroll_agent(const Caller&, const Request&, const RequestOrigin&);

  // The chain, and the session's activity recorded once it passed: first optimistically in one round trip when the
  // stage can, and control by control when that run does not stand (or the stage cannot).
  Result<Caller> admit(const Request& request, const RequestOrigin& origin, Permission permission);
  // The chain once. With a `tally` (an optimistic run) nothing is counted or logged yet.
  Result<Caller> run_guards(const Request& request, const RequestOrigin& origin, Permission permission,
                            GuardChain::Tally* tally = nullptr);

  CoordinatorParts parts_;
  store::TaskStore& tasks_;
  store::AgentStore& agents_;
  store::EventBus& events_;
  const Clock& clock_;
  std::unordered_map<std::string_view, Operation> operations_;
};

}  // namespace lab::coordinator
