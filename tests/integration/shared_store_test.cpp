// Several coordinators on one set of stores (what stage 4 runs on Redis):
// whichever coordinator a request reaches, ids come from the shared store, so
// they never collide, and every coordinator sees everything the others stored.
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "coordinator/coordinator.h"
#include "coordinator/policy_guards.h"
#include "stage1_insecure/allow_all_access.h"
#include "stage1_insecure/insecure_sessions.h"
#include "store/memory_store_set.h"

namespace lab {
namespace {

using coordinator::Coordinator;

std::unique_ptr<Coordinator> coordinator_on(const std::shared_ptr<store::StoreSet>& stores) {
  coordinator::CoordinatorParts parts;
  parts.stores = stores;
  parts.sessions = std::make_unique<stage1::InsecureSessions>(stores->sessions(), stores->agents());
  parts.access = std::make_unique<stage1::AllowAllAccess>();
  parts.guards.add(std::make_unique<coordinator::SessionGuard>(*parts.sessions, coordinator::ControlLabel{"claimed", {}}));
  parts.guards.add(std::make_unique<coordinator::AccessGuard>(*parts.access, coordinator::ControlLabel{"all", {}}));
  return std::make_unique<Coordinator>(std::move(parts));
}

Result<Json> call(Coordinator& c, const std::optional<std::string>& session, std::string type, Json payload) {
  Request r{.request_id = 1, .type = std::move(type), .session_id = session, .payload = std::move(payload)};
  auto reply = c.handle(r, coordinator::RequestOrigin{coordinator::Peer{"127.0.0.1", 1, 1, {}}, {}, nullptr});
  if (!reply) return reply.error();
  return reply->json();
}

TEST(SharedStores, CoordinatorsOnOneStoreNeverIssueTheSameIdAndSeeEachOthersWork) {
  auto stores = std::make_shared<store::MemoryStoreSet>();
  std::vector<std::unique_ptr<Coordinator>> coordinators;
  for (int i = 0; i < 3; ++i) coordinators.push_back(coordinator_on(stores));
  auto login = call(*coordinators[0], std::nullopt, "login", Json{{"agent_id", "alice"}, {"role", "coordinator"}});
  ASSERT_TRUE(login.ok());
  const std::string session = login->value("session_id", "");
  auto project = call(*coordinators[1], session, "create_project", Json{{"name", "shared"}});
  ASSERT_TRUE(project.ok()) << "a session issued by one coordinator works on another";
  const std::string pid = project->value("id", "");

  constexpr int kPerThread = 40;
  std::mutex mutex;
  std::set<std::string> ids;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int i = 0; i < 6; ++i) {
    threads.emplace_back([&, i] {
      Coordinator& c = *coordinators[i % coordinators.size()];
      for (int n = 0; n < kPerThread; ++n) {
        auto task = call(c, session, "create_task",
                         Json{{"project_id", pid}, {"specialty", "testing"}, {"description", "t"}, {"input", "1+1"}});
        if (!task) {
          ++failures;
          continue;
        }
        std::lock_guard lock(mutex);
        ids.insert(task->value("id", ""));
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(ids.size(), 6u * kPerThread) << "every task got an id of its own";
  for (const auto& c : coordinators) {
    auto listed = call(*c, session, "list_tasks", Json{{"project_id", pid}});
    ASSERT_TRUE(listed.ok());
    EXPECT_EQ((*listed)["tasks"].size(), 6u * kPerThread) << "each coordinator sees every task";
  }
}

}  // namespace
}  // namespace lab
