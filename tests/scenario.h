// The fixture for scenario tests: each test runs on every registered store that claims to be
// correct (the reference, the implementation and any out-of-tree store), through the `Driver`,
// so later implementations inherit every scenario.
//
// Tests speak the operation language directly:
//
//   CapsuleRef c1 = NewCapsule("alice");
//   EXPECT_EQ(Do(op::CreateMemory{"alice", c1, kPhoto, "k1"}), Ok(MemoryRef{1}));
//
// On failure the fixture prints every step the test ran, with outcomes.

#ifndef IDEMCHECK_TESTS_SCENARIO_H_
#define IDEMCHECK_TESTS_SCENARIO_H_

#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "idemcheck/driver.h"
#include "idemcheck/ops.h"
#include "idemcheck/printer.h"
#include "idemcheck/registry.h"

namespace idemcheck::testing {

inline constexpr char kAlice[] = "alice";
inline constexpr char kBob[] = "bob";
inline constexpr char kCarol[] = "carol";
inline constexpr char kGallery1[] = "11111111-1111-4111-8111-111111111111";
inline constexpr char kGallery2[] = "22222222-2222-4222-8222-222222222222";
inline constexpr char kFolder1[] = "33333333-3333-4333-8333-333333333333";
inline constexpr char kFolder2[] = "44444444-4444-4444-8444-444444444444";

inline const MemoryPayload kPhoto{"beach", "jpeg bytes"};
inline const MemoryPayload kNote{"todo", "buy milk"};

inline Outcome Ok(Value value = {}) {
  return Outcome{.code = Code::kOk, .value = std::move(value)};
}
inline Outcome Err(Code code) { return Outcome{.code = code}; }

// Names of every registered store that is meant to be correct (not mutants).
std::vector<std::string> CorrectStores();

class Scenario : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override;
  void TearDown() override;

  // Rebuilds the store with other limits; call first in a test.
  void UseLimits(const Limits& limits);

  Outcome Do(const Op& op);
  State Observe() { return driver_->Observe(); }

  // CreateCapsule(caller, subject) that must succeed.
  CapsuleRef NewCapsule(const std::string& caller, const std::string& subject = "");
  // CreateMemory with a fresh key that must succeed.
  MemoryRef NewMemory(const std::string& caller, CapsuleRef capsule,
                      const MemoryPayload& payload = kPhoto, const std::string& key = "");
  // BeginUpload that must succeed.
  SessionRef NewSession(const std::string& caller, CapsuleRef capsule, uint32_t chunks,
                        const std::string& key = "");

  const Limits& limits() const { return limits_; }

 private:
  Limits limits_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<Driver> driver_;
  std::vector<Op> ops_;
  std::vector<Outcome> outcomes_;
};

// Instantiates a Scenario-derived fixture over every correct store.
#define IDEMCHECK_SCENARIO_SUITE(Fixture)                                              \
  INSTANTIATE_TEST_SUITE_P(Stores, Fixture,                                            \
                           ::testing::ValuesIn(::idemcheck::testing::CorrectStores()), \
                           [](const auto& param_info) { return StoreTestName(param_info.param); })

// A store name as a valid test name suffix ("mutant/x" -> "mutant_x").
std::string StoreTestName(const std::string& store);

}  // namespace idemcheck::testing

#endif  // IDEMCHECK_TESTS_SCENARIO_H_
