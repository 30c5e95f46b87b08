// TransientFaults: a marked operation fails once through FaultInjectable and is retried, so a
// store that keeps the strong guarantee is indistinguishable from one call (G5), and one that
// leaves a trace of the failed attempt diverges.

#include "fuzz/transient_faults.h"

#include <memory>
#include <vector>

#include "absl/status/status.h"
#include "gtest/gtest.h"
#include "idemcheck/fault_injection.h"
#include "idemcheck/forwarding_store.h"
#include "idemcheck/registry.h"
#include "idemcheck/runner.h"

namespace idemcheck::fuzz {
namespace {

std::unique_ptr<Store> Reference() { return *Registry::Global().Create("reference"); }

// The reference, with CreateMemory failing at internal step 0 when armed. With `leaves_trace`
// the failed attempt still creates the memory, breaking the strong guarantee.
class FlakyStore final : public ForwardingStore, public FaultInjectable {
 public:
  explicit FlakyStore(bool leaves_trace)
      : ForwardingStore(Reference()), leaves_trace_(leaves_trace) {}

  absl::StatusOr<StoreId> CreateMemory(absl::string_view caller, StoreId capsule,
                                       const MemoryPayload& payload,
                                       absl::string_view key) override {
    const bool fire = armed_ && step_ == 0;
    armed_ = false;
    fired_ = fire;
    if (!fire) return inner().CreateMemory(caller, capsule, payload, key);
    if (leaves_trace_) (void)inner().CreateMemory(caller, capsule, payload, key);
    return absl::UnavailableError("injected");
  }
  void ArmFault(uint64_t step) override {
    armed_ = true;
    step_ = step;
    fired_ = false;
  }
  bool FaultFired() const override { return fired_; }

 private:
  bool leaves_trace_;
  bool armed_ = false;
  uint64_t step_ = 0;
  bool fired_ = false;
};

const std::vector<Op> kOps = {
    op::CreateCapsule{"alice", "alice"},
    op::CreateMemory{"alice", CapsuleRef{1}, {"beach", "jpeg"}, ""},
    op::CreateMemory{"alice", CapsuleRef{1}, {"beach", "jpeg"}, "k1"},
    op::ListMemories{"alice", CapsuleRef{1}},
};

TEST(TransientFaults, G5_a_failed_and_retried_operation_is_one_call) {
  auto reference = Reference();
  TransientFaults store(std::make_unique<FlakyStore>(false),
                        {{.op = 1, .step = 0}, {.op = 2, .step = 0}});
  const RunResult result = RunDifferential(kOps, *reference, store);
  EXPECT_TRUE(result.ok()) << FormatReport(result, "reference", "flaky");
  EXPECT_EQ(store.retried(), 2u);
}

TEST(TransientFaults, G5_a_failed_attempt_that_changed_the_store_diverges) {
  auto reference = Reference();
  TransientFaults store(std::make_unique<FlakyStore>(true), {{.op = 1, .step = 0}});
  const RunResult result = RunDifferential(kOps, *reference, store);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.divergence->step, 1u);
  EXPECT_TRUE(result.divergence->in_state);
}

TEST(TransientFaults, a_fault_that_does_not_fire_is_not_retried) {
  auto reference = Reference();
  TransientFaults store(std::make_unique<FlakyStore>(true), {{.op = 1, .step = 3}});
  EXPECT_TRUE(RunDifferential(kOps, *reference, store).ok());
  EXPECT_EQ(store.retried(), 0u);
}

TEST(TransientFaults, stores_without_the_capability_run_each_operation_once) {
  auto reference = Reference();
  TransientFaults store(Reference(), {{.op = 1, .step = 0}});
  EXPECT_TRUE(RunDifferential(kOps, *reference, store).ok());
  EXPECT_EQ(store.retried(), 0u);
}

}  // namespace
}  // namespace idemcheck::fuzz
