// Shared pieces of the impl tests: store construction, a sequence builder that remembers where
// each step is, and two fixed histories: one that leaves every kind of state behind (entities,
// deleted memories with live records, tombstones, pending and committed sessions with chunks,
// expired and live windows) and a probe that exercises all of that state afterwards.

#ifndef IDEMCHECK_TESTS_IMPL_TEST_UTIL_H_
#define IDEMCHECK_TESTS_IMPL_TEST_UTIL_H_

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "idemcheck/ops.h"
#include "idemcheck/registry.h"
#include "idemcheck/store.h"

namespace idemcheck::testing {

// The implementations under test: "impl" and "impl/weak-hash".
std::vector<std::string> ImplStores();

// A registered store that must exist.
std::unique_ptr<Store> MakeStore(absl::string_view name, const Limits& limits = {});

// Builds an op sequence; Add returns the step's index for checks on its outcome.
class Sequence {
 public:
  size_t Add(Op op) {
    ops_.push_back(std::move(op));
    return ops_.size() - 1;
  }
  void Append(const std::vector<Op>& ops) { ops_.insert(ops_.end(), ops.begin(), ops.end()); }
  const std::vector<Op>& ops() const { return ops_; }

 private:
  std::vector<Op> ops_;
};

// Leaves every kind of state behind, under default limits. Capsules c1 (alice, bob controller)
// and c2 (bob); memories m1.. with keys "k1", "k2", "k3"; galleries kGallery1 (live) and
// kGallery2 (tombstone); folders kFolder1 (live) and kFolder2 (tombstone, child of kFolder1);
// sessions u1 (keyed "up1", pending with chunk 0 of 2), u2 (keyed "up2", committed as b1),
// u3 (no key, pending).
std::vector<Op> RichHistory();

// Retries every create of RichHistory, reads every listing, continues and commits the pending
// uploads, then moves the clock across every window (session TTL, retention) and retries again.
std::vector<Op> Probe();

}  // namespace idemcheck::testing

#endif  // IDEMCHECK_TESTS_IMPL_TEST_UTIL_H_
