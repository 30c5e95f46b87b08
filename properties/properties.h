// The named properties P1-P13: what every correct capsule store satisfies on every operation
// sequence, stated so that each one checks a single idea and names the rule it protects.
//
// A property is a check of one sequence against one store, given by its registry name and
// options (the subject). The RapidCheck tests, the mutant test and `idemcheck check` all call
// these same checks; they differ only in who generates the sequences and shrinks failures.
//
// Every check holds for a correct store on every sequence, whatever its profile: the profile
// only makes the interesting situations frequent. A failed check returns the report of the
// counterexample, printed with printer.h (FormatSequence) or, for differential properties,
// runner.h (FormatReport).
//
//   P1  replay_storm         a replayed create returns what it returned before, inserts nothing
//   P2  single_insertion     live memories = distinct live keys + empty-key creates - deletes
//   P3  empty_key            the empty key never deduplicates
//   P4  scope_isolation      a key of one (capsule, caller) never yields another scope's ID
//   P5  payload_mismatch     a live key with another payload is rejected and changes nothing
//   P6  no_resurrection      a deleted entity never reappears; a retry returns its old ID
//   P7  expiry_boundary      records expire exactly at created_at + window, not a second off
//   P8  upgrade_anywhere     the sequence with and without its Upgrades gives the same results
//   P9  ids_never_reused     a returned ID that was seen before is a legitimate replay
//   P10 unauthorized         an unauthorized caller's outcome does not depend on what is stored
//   P11 weak_hash            P1-P10, P12, P13 hold with a 4-bit lookup hash (forced collisions)
//   P12 atomicity            an operation failed by an injected fault changes nothing
//   P13 differential         E1 equivalence with the reference on all operations

#ifndef IDEMCHECK_PROPERTIES_PROPERTIES_H_
#define IDEMCHECK_PROPERTIES_PROPERTIES_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "idemcheck/ops.h"
#include "idemcheck/registry.h"

namespace idemcheck::properties {

// The store a property is checked on.
struct Subject {
  std::string name;  // registry name
  StoreOptions options;
};

struct Property {
  std::string id;       // "P1"
  std::string name;     // "replay_storm"
  std::string summary;  // one line
  // The generator profiles (generators.h) its cases cycle through: each makes some of the
  // situations the property is about frequent.
  std::vector<std::string> profiles;
  // nullopt when the property holds on `ops`; otherwise the counterexample's report.
  std::optional<std::string> (*check)(const Subject& subject, std::span<const Op> ops);
  // Whether the property says anything about this store (P12 needs FaultInjectable).
  bool (*applies)(const Subject& subject);
};

// P1..P13, in order.
const std::vector<Property>& AllProperties();

// The order of a full run: P1-P10, P12, P13, then P11, which repeats the others with a weak
// hash and so only adds what they cannot see.
std::vector<const Property*> DefaultRunOrder();

// By ID ("P5", case-insensitive) or name ("payload_mismatch"); nullptr when unknown.
const Property* FindProperty(absl::string_view id_or_name);

// The deliberately weak lookup hash of P11 and of weak-hash store variants: 4 bits, so that
// the pooled keys collide (M9).
uint64_t WeakLookupHash(absl::string_view bytes);

}  // namespace idemcheck::properties

#endif  // IDEMCHECK_PROPERTIES_PROPERTIES_H_
