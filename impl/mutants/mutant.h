// Shared pieces of the mutant gallery. Every mutant is a ForwardingStore over the optimized
// implementation ("impl") that changes one decision, so each is exactly one known bug away from
// a store that passes the whole suite. Some bugs need a little state of their own beside the
// wrapped store (which record a key has, what the clock says); it lives here.

#ifndef IDEMCHECK_IMPL_MUTANTS_MUTANT_H_
#define IDEMCHECK_IMPL_MUTANTS_MUTANT_H_

#include <cstdint>
#include <memory>
#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "idemcheck/registry.h"
#include "idemcheck/store.h"
#include "idemcheck/values.h"

namespace idemcheck::mutants {

// The store every mutant wraps, built with the mutant's own options.
std::unique_ptr<Store> NewImpl(const StoreOptions& options);

// The scope of memory and upload records: (capsule, caller, key) (M6, U1).
struct Scope {
  StoreId capsule = 0;
  std::string caller;
  std::string key;

  friend bool operator==(const Scope&, const Scope&) = default;
  template <typename H>
  friend H AbslHashValue(H h, const Scope& s) {
    return H::combine(std::move(h), s.capsule, s.caller, s.key);
  }
};

// The store clock, followed from the advances the wrapped store accepted.
class ShadowClock {
 public:
  void Advanced(const absl::Status& status, uint64_t seconds) {
    if (status.ok()) now_ += seconds;
  }
  uint64_t now() const { return now_; }

 private:
  uint64_t now_ = 0;
};

// Memory records as M3 and M8 define them: the first successful create of a scope makes a
// record that lives for `retention` seconds.
class ShadowRecords {
 public:
  struct Record {
    StoreId memory = 0;
    MemoryPayload payload;
    uint64_t created_at = 0;
  };

  explicit ShadowRecords(uint64_t retention) : retention_(retention) {}

  // The latest record of `scope`, live or not.
  const Record* Latest(const Scope& scope) const {
    auto it = records_.find(scope);
    return it == records_.end() ? nullptr : &it->second;
  }
  const Record* Live(const Scope& scope, uint64_t now) const {
    const Record* r = Latest(scope);
    return r != nullptr && now - r->created_at < retention_ ? r : nullptr;
  }
  // After a successful keyed create that returned `memory` at `now`.
  void Created(const Scope& scope, StoreId memory, const MemoryPayload& payload, uint64_t now) {
    if (Live(scope, now) == nullptr) records_[scope] = Record{memory, payload, now};
  }
  uint64_t retention() const { return retention_; }

 private:
  uint64_t retention_;
  absl::flat_hash_map<Scope, Record> records_;
};

// A valid key standing for `key` in generation `generation`: the wrapped store has never seen
// it, so its records for `key` no longer apply. Generation 0 is `key` itself.
std::string DerivedKey(absl::string_view key, uint64_t generation);

// G1-G3 for `caller` on `capsule`, changing nothing: the status of a listing.
absl::Status CheckAccess(Store& store, absl::string_view caller, StoreId capsule);

}  // namespace idemcheck::mutants

#endif  // IDEMCHECK_IMPL_MUTANTS_MUTANT_H_
