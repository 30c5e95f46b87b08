#include "concurrency/linearizability.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "idemcheck/driver.h"
#include "idemcheck/ops.h"
#include "reference/reference_store.h"

namespace idemcheck::concurrency {
namespace {

const MemoryPayload kPhoto{"beach", "jpeg"};
const MemoryPayload kNote{"todo", "milk"};
constexpr char kAlice[] = "alice";

Outcome Ok(Value value = {}) { return Outcome{.code = Code::kOk, .value = std::move(value)}; }
Outcome Err(Code code) { return Outcome{.code = code}; }

// Builds histories by hand: the prefix runs on a reference store (whose IDs count 1, 2, ...);
// each thread's new IDs are given as the store IDs the thread saw.
class HistoryBuilder {
 public:
  HistoryBuilder(std::vector<Op> prefix, size_t threads) {
    ReferenceStore store;
    Driver driver(store);
    for (Op& op : prefix) {
      history_.prefix_outcomes.push_back(driver.Apply(op));
      history_.prefix.push_back(std::move(op));
    }
    history_.prefix_names = driver.renaming();
    history_.thread_names.assign(threads, history_.prefix_names);
  }

  // A call whose outcome is `outcome`; a memory it returns is the store's memory `raw`.
  HistoryBuilder& Add(size_t thread, Op op, Outcome outcome, uint64_t invoked, uint64_t returned,
                      StoreId raw = 0) {
    if (auto* ref = std::get_if<MemoryRef>(&outcome.value); ref != nullptr && raw != 0) {
      ref->n = history_.thread_names[thread].Name(IdKind::kMemory, raw);
    }
    history_.calls.push_back(Call{.thread = thread,
                                  .op = std::move(op),
                                  .outcome = std::move(outcome),
                                  .invoked = invoked,
                                  .returned = returned});
    return *this;
  }

  const ParallelHistory& history() const { return history_; }

 private:
  ParallelHistory history_;
};

std::vector<Op> OneCapsule() { return {op::CreateCapsule{kAlice, kAlice}}; }
std::vector<Op> OneMemory() {
  return {op::CreateCapsule{kAlice, kAlice}, op::CreateMemory{kAlice, CapsuleRef{1}, kPhoto, ""}};
}
op::CreateMemory Create(const MemoryPayload& payload, uint32_t capsule = 1) {
  return op::CreateMemory{kAlice, CapsuleRef{capsule}, payload, "k1"};
}

TEST(Linearizability, M4_overlapping_same_key_creates_sharing_one_id_are_linearizable) {
  HistoryBuilder b(OneCapsule(), 2);
  b.Add(0, Create(kPhoto), Ok(MemoryRef{}), 0, 3, 7)
      .Add(1, Create(kPhoto), Ok(MemoryRef{}), 1, 2, 7);
  LinearizabilityResult result = CheckLinearizable(b.history());
  EXPECT_EQ(result.verdict, Verdict::kLinearizable) << result.explanation;
}

TEST(Linearizability, M4_overlapping_same_key_creates_with_two_ids_are_not_linearizable) {
  HistoryBuilder b(OneCapsule(), 2);
  b.Add(0, Create(kPhoto), Ok(MemoryRef{}), 0, 3, 7)
      .Add(1, Create(kPhoto), Ok(MemoryRef{}), 1, 2, 8);
  LinearizabilityResult result = CheckLinearizable(b.history());
  EXPECT_EQ(result.verdict, Verdict::kNotLinearizable);
  EXPECT_NE(result.explanation.find("the model says Ok(m1)"), std::string::npos)
      << result.explanation;
}

TEST(Linearizability, M5_overlapping_creates_may_take_either_order) {
  // The call that returned Conflict was invoked first, but the calls overlap.
  HistoryBuilder b(OneCapsule(), 2);
  b.Add(0, Create(kPhoto), Err(Code::kConflict), 0, 3)
      .Add(1, Create(kNote), Ok(MemoryRef{}), 1, 2, 7);
  EXPECT_EQ(CheckLinearizable(b.history()).verdict, Verdict::kLinearizable);
}

TEST(Linearizability, M5_real_time_order_is_respected) {
  // The Conflict returned before the create that it conflicts with was invoked.
  HistoryBuilder b(OneCapsule(), 2);
  b.Add(0, Create(kPhoto), Err(Code::kConflict), 0, 1)
      .Add(1, Create(kNote), Ok(MemoryRef{}), 2, 3, 7);
  LinearizabilityResult result = CheckLinearizable(b.history());
  EXPECT_EQ(result.verdict, Verdict::kNotLinearizable);
  EXPECT_NE(result.explanation.find("explains 0 of them"), std::string::npos) << result.explanation;
}

TEST(Linearizability, R1_a_read_overlapping_a_delete_may_see_either_state) {
  HistoryBuilder b(OneMemory(), 2);
  b.Add(0, op::DeleteMemory{kAlice, CapsuleRef{1}, MemoryRef{1}}, Ok(), 0, 5)
      .Add(1, op::GetMemory{kAlice, CapsuleRef{1}, MemoryRef{1}}, Ok(kPhoto), 1, 2)
      .Add(1, op::GetMemory{kAlice, CapsuleRef{1}, MemoryRef{1}}, Err(Code::kNotFound), 3, 4);
  EXPECT_EQ(CheckLinearizable(b.history()).verdict, Verdict::kLinearizable);
}

TEST(Linearizability, R1_a_read_after_a_delete_returned_must_not_see_the_memory) {
  HistoryBuilder b(OneMemory(), 2);
  b.Add(0, op::DeleteMemory{kAlice, CapsuleRef{1}, MemoryRef{1}}, Ok(), 0, 1)
      .Add(1, op::GetMemory{kAlice, CapsuleRef{1}, MemoryRef{1}}, Ok(kPhoto), 2, 3);
  EXPECT_EQ(CheckLinearizable(b.history()).verdict, Verdict::kNotLinearizable);
}

TEST(Linearizability, R1_reads_that_no_state_explains_are_not_linearizable) {
  // Two reads in one thread see the memory gone and then back: no single delete does that.
  HistoryBuilder b(OneMemory(), 2);
  b.Add(0, op::DeleteMemory{kAlice, CapsuleRef{1}, MemoryRef{1}}, Ok(), 0, 9)
      .Add(1, op::GetMemory{kAlice, CapsuleRef{1}, MemoryRef{1}}, Err(Code::kNotFound), 1, 2)
      .Add(1, op::GetMemory{kAlice, CapsuleRef{1}, MemoryRef{1}}, Ok(kPhoto), 3, 4);
  EXPECT_EQ(CheckLinearizable(b.history()).verdict, Verdict::kNotLinearizable);
}

TEST(Linearizability, calls_on_different_capsules_are_checked_as_independent_groups) {
  HistoryBuilder b({op::CreateCapsule{kAlice, kAlice}, op::CreateCapsule{kAlice, "bob"}}, 2);
  b.Add(0, Create(kPhoto, 1), Ok(MemoryRef{}), 0, 3, 7)
      .Add(1, Create(kPhoto, 2), Ok(MemoryRef{}), 1, 2, 8);
  LinearizabilityResult result = CheckLinearizable(b.history());
  EXPECT_EQ(result.verdict, Verdict::kLinearizable) << result.explanation;
  EXPECT_EQ(result.groups, 2u);
}

TEST(Linearizability, E1_one_store_id_new_in_two_independent_groups_is_not_linearizable) {
  HistoryBuilder b({op::CreateCapsule{kAlice, kAlice}, op::CreateCapsule{kAlice, "bob"}}, 2);
  b.Add(0, Create(kPhoto, 1), Ok(MemoryRef{}), 0, 3, 7)
      .Add(1, Create(kPhoto, 2), Ok(MemoryRef{}), 1, 2, 7);
  LinearizabilityResult result = CheckLinearizable(b.history());
  EXPECT_EQ(result.verdict, Verdict::kNotLinearizable);
  EXPECT_NE(result.explanation.find("one store ID 7"), std::string::npos) << result.explanation;
}

TEST(Linearizability, a_global_call_joins_every_group) {
  HistoryBuilder b({op::CreateCapsule{kAlice, kAlice}, op::CreateCapsule{kAlice, "bob"}}, 2);
  b.Add(0, Create(kPhoto, 1), Ok(MemoryRef{}), 0, 3, 7)
      .Add(1, Create(kPhoto, 2), Ok(MemoryRef{}), 1, 2, 8)
      .Add(1, op::AdvanceClock{5}, Ok(), 4, 5);
  LinearizabilityResult result = CheckLinearizable(b.history());
  EXPECT_EQ(result.verdict, Verdict::kLinearizable) << result.explanation;
  EXPECT_EQ(result.groups, 1u);
}

TEST(Linearizability, a_diverging_prefix_is_reported_as_such) {
  HistoryBuilder b(OneCapsule(), 1);
  ParallelHistory history = b.history();
  history.prefix_outcomes[0] = Err(Code::kUnauthorized);
  LinearizabilityResult result = CheckLinearizable(history);
  EXPECT_EQ(result.verdict, Verdict::kNotLinearizable);
  EXPECT_NE(result.explanation.find("prefix already diverges at step 1"), std::string::npos);
}

TEST(Linearizability, many_overlapping_reads_stay_a_small_search) {
  // Fifteen overlapping calls: two creates that disagree and thirteen reads that fit anywhere.
  // Without reductions this is about 10^6 orders; the checker must still reach a verdict.
  HistoryBuilder b(OneMemory(), 3);
  b.Add(0, Create(kPhoto), Ok(MemoryRef{}), 0, 100, 7)
      .Add(1, Create(kPhoto), Ok(MemoryRef{}), 1, 101, 8);
  for (uint64_t i = 0; i < 13; ++i) {
    b.Add(i % 3, op::GetMemory{kAlice, CapsuleRef{1}, MemoryRef{1}}, Ok(kPhoto), 2 + i, 102 + i);
  }
  LinearizabilityResult result = CheckLinearizable(b.history(), {.max_nodes = 10'000});
  EXPECT_EQ(result.verdict, Verdict::kNotLinearizable) << result.explanation;
}

TEST(Linearizability, the_history_prints_one_column_per_thread_with_one_naming) {
  HistoryBuilder b(OneCapsule(), 2);
  b.Add(0, Create(kPhoto), Ok(MemoryRef{}), 0, 3, 7)
      .Add(1, Create(kPhoto), Ok(MemoryRef{}), 1, 2, 8);
  const std::string text = FormatParallelHistory(b.history());
  EXPECT_NE(text.find("  thread 1"), std::string::npos) << text;
  EXPECT_NE(text.find(" | thread 2"), std::string::npos) << text;
  // Thread 2's call returned first, so its memory is m1 and thread 1's is m2.
  const size_t m1 = text.find("-> Ok(m1)");
  const size_t m2 = text.find("-> Ok(m2)");
  ASSERT_NE(m1, std::string::npos) << text;
  ASSERT_NE(m2, std::string::npos) << text;
  EXPECT_LT(m2, m1) << "thread 1's call is printed on the earlier row\n" << text;
}

}  // namespace
}  // namespace idemcheck::concurrency
