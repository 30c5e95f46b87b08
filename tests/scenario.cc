#include "tests/scenario.h"

#include <cctype>
#include <iostream>
#include <string>
#include <variant>
#include <vector>

namespace idemcheck::testing {

std::vector<std::string> CorrectStores() {
  std::vector<std::string> names;
  for (const StoreInfo* info : Registry::Global().All()) {
    if (info->kind != StoreKind::kMutant) names.push_back(info->name);
  }
  return names;
}

std::string StoreTestName(const std::string& store) {
  std::string name;
  for (char c : store) name.push_back(std::isalnum(static_cast<unsigned char>(c)) ? c : '_');
  return name;
}

void Scenario::SetUp() { UseLimits(Limits{}); }

void Scenario::UseLimits(const Limits& limits) {
  limits_ = limits;
  absl::StatusOr<std::unique_ptr<Store>> store =
      Registry::Global().Create(GetParam(), StoreOptions{.limits = limits});
  ASSERT_TRUE(store.ok()) << store.status();
  store_ = *std::move(store);
  driver_ = std::make_unique<Driver>(*store_);
  ops_.clear();
  outcomes_.clear();
}

void Scenario::TearDown() {
  if (HasFailure()) {
    std::cerr << "Steps on " << GetParam() << ":\n" << FormatSequence(ops_, outcomes_);
  }
}

Outcome Scenario::Do(const Op& op) {
  ops_.push_back(op);
  outcomes_.push_back(driver_->Apply(op));
  return outcomes_.back();
}

CapsuleRef Scenario::NewCapsule(const std::string& caller, const std::string& subject) {
  Outcome out = Do(op::CreateCapsule{caller, subject.empty() ? caller : subject});
  EXPECT_TRUE(out.ok()) << out;
  const CapsuleRef* ref = std::get_if<CapsuleRef>(&out.value);
  return ref != nullptr ? *ref : CapsuleRef{};
}

MemoryRef Scenario::NewMemory(const std::string& caller, CapsuleRef capsule,
                              const MemoryPayload& payload, const std::string& key) {
  Outcome out = Do(op::CreateMemory{caller, capsule, payload, key});
  EXPECT_TRUE(out.ok()) << out;
  const MemoryRef* ref = std::get_if<MemoryRef>(&out.value);
  return ref != nullptr ? *ref : MemoryRef{};
}

SessionRef Scenario::NewSession(const std::string& caller, CapsuleRef capsule, uint32_t chunks,
                                const std::string& key) {
  Outcome out = Do(op::BeginUpload{caller, capsule, chunks, key});
  EXPECT_TRUE(out.ok()) << out;
  const SessionRef* ref = std::get_if<SessionRef>(&out.value);
  return ref != nullptr ? *ref : SessionRef{};
}

}  // namespace idemcheck::testing
