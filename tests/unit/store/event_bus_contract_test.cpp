// The EventBus contract: sequence numbers, fan-out, one copy per target, and
// subscribers that went away. Runs against every implementation.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "unit/store/store_implementations.h"

namespace lab::store {
namespace {

class RecordingSink final : public EventSink {
 public:
  explicit RecordingSink(const void* target, bool alive = true) : target_(target), alive_(alive) {}
  bool push(std::string_view event_json) override {
    if (alive_) received.push_back(Json::parse(event_json));
    return alive_;
  }
  const void* target() const override { return target_; }
  std::vector<Json> received;

 private:
  const void* target_;
  bool alive_;
};

class EventBusContract : public ::testing::TestWithParam<testing::StoreImplementation> {
 protected:
  std::shared_ptr<StoreSet> stores_ = GetParam().make();
  EventBus& events_ = stores_->events();
  int a_ = 0, b_ = 0;  // two distinct delivery targets
};

TEST_P(EventBusContract, EventsGetIncreasingSequenceNumbersAndATime) {
  const Json first = events_.publish(Json{{"kind", "one"}});
  const Json second = events_.publish(Json{{"kind", "two"}});
  EXPECT_LT(first["seq"].get<std::uint64_t>(), second["seq"].get<std::uint64_t>());
  EXPECT_TRUE(first["time"].is_string());
  EXPECT_EQ(second["kind"], "two");
}

TEST_P(EventBusContract, EverySubscriberGetsEveryEventInOrder) {
  auto x = std::make_shared<RecordingSink>(&a_);
  auto y = std::make_shared<RecordingSink>(&b_);
  events_.subscribe(x);
  events_.subscribe(y);
  for (int i = 0; i < 5; ++i) events_.publish(Json{{"n", i}});
  ASSERT_EQ(x->received.size(), 5u);
  ASSERT_EQ(y->received.size(), 5u);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(x->received[i]["n"], i);
  EXPECT_EQ(x->received, y->received);
}

TEST_P(EventBusContract, SubscribingTheSameTargetTwiceDeliversOnce) {
  auto first = std::make_shared<RecordingSink>(&a_);
  auto again = std::make_shared<RecordingSink>(&a_);
  events_.subscribe(first);
  events_.subscribe(again);
  events_.publish(Json{{"kind", "x"}});
  EXPECT_EQ(first->received.size() + again->received.size(), 1u);
  EXPECT_EQ(events_.subscriber_count(), 1u);
}

TEST_P(EventBusContract, ASubscriberThatIsGoneIsDropped) {
  events_.subscribe(std::make_shared<RecordingSink>(&a_, /*alive=*/false));
  auto live = std::make_shared<RecordingSink>(&b_);
  events_.subscribe(live);
  events_.publish(Json{{"kind", "x"}});
  EXPECT_EQ(events_.subscriber_count(), 1u);
  EXPECT_EQ(live->received.size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Stores, EventBusContract, ::testing::ValuesIn(testing::store_implementations()),
                         testing::implementation_name);

}  // namespace
}  // namespace lab::store
