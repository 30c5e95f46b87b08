// The differential runner (E1): renamed IDs are equivalent, and every kind of difference is
// found at the right step with the right rule.

#include "idemcheck/runner.h"

#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "idemcheck/forwarding_store.h"
#include "reference/reference_store.h"

namespace idemcheck {
namespace {

// A correct store whose memory IDs are another bijection of the reference's.
class RenamingStore : public ForwardingStore {
 public:
  RenamingStore() : ForwardingStore(std::make_unique<ReferenceStore>()) {}
  absl::StatusOr<StoreId> CreateMemory(absl::string_view caller, StoreId capsule,
                                       const MemoryPayload& payload,
                                       absl::string_view key) override {
    absl::StatusOr<StoreId> id = inner().CreateMemory(caller, capsule, payload, key);
    if (!id.ok()) return id;
    return Out(*id);
  }
  absl::Status DeleteMemory(absl::string_view caller, StoreId capsule, StoreId memory) override {
    return inner().DeleteMemory(caller, capsule, In(memory));
  }
  std::vector<CapsuleView> Observe() const override {
    std::vector<CapsuleView> views = inner().Observe();
    for (CapsuleView& v : views) {
      for (StoredMemory& m : v.memories) m.id = Out(m.id);
    }
    return views;
  }

 private:
  static StoreId Out(StoreId id) { return 1'000'000 - id * 7; }
  static StoreId In(StoreId id) { return (1'000'000 - id) / 7; }
};

// Hands out an already-issued memory ID for empty keys: the original "ID from key" bug.
class CollapsingEmptyKeyStore : public RenamingStore {
 public:
  absl::StatusOr<StoreId> CreateMemory(absl::string_view caller, StoreId capsule,
                                       const MemoryPayload& payload,
                                       absl::string_view key) override {
    absl::StatusOr<StoreId> id = RenamingStore::CreateMemory(caller, capsule, payload, key);
    if (id.ok() && key.empty()) {
      if (first_.has_value()) return *first_;
      first_ = *id;
    }
    return id;
  }

 private:
  std::optional<StoreId> first_;
};

// Says Ok to a delete and deletes nothing.
class LazyDeleteStore : public ForwardingStore {
 public:
  LazyDeleteStore() : ForwardingStore(std::make_unique<ReferenceStore>()) {}
  absl::Status DeleteMemory(absl::string_view, StoreId, StoreId) override {
    return absl::OkStatus();
  }
};

// Loses sight of a memory once it has been read: a later read is NotFound.
class ForgetfulReadStore : public ForwardingStore {
 public:
  ForgetfulReadStore() : ForwardingStore(std::make_unique<ReferenceStore>()) {}
  absl::StatusOr<MemoryPayload> GetMemory(absl::string_view caller, StoreId capsule,
                                          StoreId memory) override {
    if (read_once_) return absl::NotFoundError("forgotten");
    read_once_ = true;
    return inner().GetMemory(caller, capsule, memory);
  }

 private:
  bool read_once_ = false;
};

// Answers Conflict with a code the contract does not use.
class OffContractStore : public ForwardingStore {
 public:
  OffContractStore() : ForwardingStore(std::make_unique<ReferenceStore>()) {}
  absl::StatusOr<StoreId> CreateMemory(absl::string_view caller, StoreId capsule,
                                       const MemoryPayload& payload,
                                       absl::string_view key) override {
    absl::StatusOr<StoreId> id = inner().CreateMemory(caller, capsule, payload, key);
    if (absl::IsAborted(id.status())) return absl::AlreadyExistsError("exists");
    return id;
  }
};

std::vector<Op> Scenario() {
  const CapsuleRef c1{1};
  return {
      op::CreateCapsule{"alice", "alice"},
      op::CreateMemory{"alice", c1, {"a", "1"}, "k1"},
      op::CreateMemory{"alice", c1, {"a", "1"}, ""},
      op::CreateMemory{"alice", c1, {"a", "1"}, "k1"},
      op::CreateMemory{"alice", c1, {"b", "2"}, ""},
      op::DeleteMemory{"alice", c1, MemoryRef{2}},
      op::CreateMemory{"alice", c1, {"b", "2"}, "k1"},
  };
}

TEST(Runner, E1_stores_that_differ_only_by_a_renaming_agree) {
  ReferenceStore reference;
  RenamingStore renamed;
  RunResult result = RunDifferential(Scenario(), reference, renamed);
  EXPECT_TRUE(result.ok()) << FormatReport(result, "reference", "renamed");
  EXPECT_EQ(result.ops.size(), Scenario().size());
}

TEST(Runner, E1_an_id_that_breaks_the_bijection_is_found_at_its_step) {
  ReferenceStore reference;
  CollapsingEmptyKeyStore collapsing;
  RunResult result = RunDifferential(Scenario(), reference, collapsing);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.divergence->step, 4u);
  EXPECT_EQ(result.divergence->rule, "M2");
  EXPECT_EQ(result.divergence->expected, (Outcome{.value = MemoryRef{3}}));
  EXPECT_EQ(result.divergence->actual, (Outcome{.value = MemoryRef{2}}));
  const std::string report = FormatReport(result, "reference", "collapsing");
  EXPECT_NE(report.find("collapsing diverges from reference at step 5, rule M2"), std::string::npos)
      << report;
  EXPECT_NE(report.find("expected (reference):  Ok(m3)"), std::string::npos) << report;
  EXPECT_NE(report.find("actual   (collapsing): Ok(m2)"), std::string::npos) << report;
}

TEST(Runner, E1_same_outcome_with_a_different_state_is_a_divergence) {
  ReferenceStore reference;
  LazyDeleteStore lazy;
  RunResult result = RunDifferential(Scenario(), reference, lazy);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.divergence->step, 5u);
  EXPECT_TRUE(result.divergence->in_state);
  EXPECT_EQ(result.divergence->rule, "R2");
  EXPECT_NE(FormatReport(result, "reference", "lazy").find("observable state differs"),
            std::string::npos);
}

TEST(Runner, E1_state_is_compared_at_the_end_when_not_after_every_step) {
  ReferenceStore reference;
  LazyDeleteStore lazy;
  RunResult result =
      RunDifferential(Scenario(), reference, lazy, {.compare_state_every_step = false});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.divergence->step, Scenario().size() - 1);
}

TEST(Runner, E1_a_wrong_not_found_on_a_read_is_decided_by_R1_not_G2) {
  ReferenceStore reference;
  ForgetfulReadStore forgetful;
  std::vector<Op> ops = Scenario();
  ops.push_back(op::GetMemory{"alice", CapsuleRef{1}, MemoryRef{1}});
  ops.push_back(op::GetMemory{"alice", CapsuleRef{1}, MemoryRef{1}});
  RunResult result = RunDifferential(ops, reference, forgetful);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.divergence->step, ops.size() - 1);
  EXPECT_EQ(result.divergence->rule, "R1");
}

TEST(Runner, E1_a_code_outside_the_contract_is_always_a_divergence) {
  ReferenceStore reference;
  OffContractStore off;
  std::vector<Op> ops = Scenario();
  ops.push_back(op::CreateMemory{"alice", CapsuleRef{1}, {"c", "3"}, "k1"});
  RunResult result = RunDifferential(ops, reference, off);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.divergence->actual.code, Code::kOutsideContract);
  EXPECT_EQ(result.divergence->rule, "E1");
}

}  // namespace
}  // namespace idemcheck
