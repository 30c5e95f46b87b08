// mutant/record-dropped-on-delete: deleting a memory deletes its idempotency record too.
//
// Bug class (e): the record was stored with the memory and removed with it, so a retry that
// arrived after the delete (a slow client, a queued request) found no record and created the
// memory again: the user's delete was undone (M7 requires the original ID, not resurrected).

#include <memory>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "idemcheck/forwarding_store.h"
#include "impl/mutants/mutant.h"

namespace idemcheck::mutants {
namespace {

class RecordDroppedOnDelete final : public ForwardingStore {
 public:
  explicit RecordDroppedOnDelete(const StoreOptions& options) : ForwardingStore(NewImpl(options)) {}

  absl::StatusOr<StoreId> CreateMemory(absl::string_view caller, StoreId capsule,
                                       const MemoryPayload& payload,
                                       absl::string_view key) override {
    if (key.empty() || !IsValidIdemKey(key)) {
      return inner().CreateMemory(caller, capsule, payload, key);
    }
    const Scope scope{capsule, std::string(caller), std::string(key)};
    // A dropped record is gone for good: the wrapped store sees a key it never had.
    const uint64_t generation = generations_[scope];
    absl::StatusOr<StoreId> id =
        inner().CreateMemory(caller, capsule, payload, DerivedKey(key, generation));
    if (id.ok()) scopes_.try_emplace(*id, scope);
    return id;
  }

  absl::Status DeleteMemory(absl::string_view caller, StoreId capsule, StoreId memory) override {
    absl::Status status = inner().DeleteMemory(caller, capsule, memory);
    if (auto it = scopes_.find(memory); status.ok() && it != scopes_.end()) {
      ++generations_[it->second];  // the bug: the record goes with the memory
    }
    return status;
  }

 private:
  absl::flat_hash_map<StoreId, Scope> scopes_;  // keyed memories and the scope that made them
  absl::flat_hash_map<Scope, uint64_t> generations_;
};

IDEMCHECK_REGISTER_STORE(mutant_record_dropped_on_delete,
                         {
                             .name = "mutant/record-dropped-on-delete",
                             .kind = StoreKind::kMutant,
                             .description = "(e) delete drops the key's record: a late retry "
                                            "creates the memory again",
                             .factory = [](const StoreOptions& options) -> std::unique_ptr<Store> {
                               return std::make_unique<RecordDroppedOnDelete>(options);
                             },
                         });

}  // namespace
}  // namespace idemcheck::mutants
