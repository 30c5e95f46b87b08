// A structure-aware mutator for fuzz inputs (decoder.h): it edits whole records, so that an edit
// shifts no later record out of alignment, and favours what finds idempotency bugs: repeating an
// operation (a retry), moving one later (a late retry), and marking one to fail and be retried.
//
// fuzz_differential installs it as LLVMFuzzerCustomMutator; byte-level changes inside a record,
// dictionary words and comparison operands still come from libFuzzer through `mutate`.

#ifndef IDEMCHECK_FUZZ_RECORD_MUTATOR_H_
#define IDEMCHECK_FUZZ_RECORD_MUTATOR_H_

#include <cstddef>
#include <cstdint>

namespace idemcheck::fuzz {

// libFuzzer's own mutation of `size` bytes at `data`, in place, to at most `max_size` bytes.
using ByteMutator = size_t (*)(uint8_t* data, size_t size, size_t max_size);

// Mutates the input of `size` bytes at `data` in place and returns its new size: at most
// `max_size` and kMaxInputBytes, and always the setup byte plus whole records. The same
// arguments give the same result.
size_t MutateRecords(uint8_t* data, size_t size, size_t max_size, unsigned int seed,
                     ByteMutator mutate);

// Writes to `out` the setup byte and leading records of the first input with a run of records of
// the second spliced in after them, then the rest of the first; returns its size (at most
// `max_out_size` and kMaxInputBytes). Installed as LLVMFuzzerCustomCrossOver, so that a sequence
// that builds state and one that uses it can meet without breaking record alignment.
size_t CrossRecords(const uint8_t* data1, size_t size1, const uint8_t* data2, size_t size2,
                    uint8_t* out, size_t max_out_size, unsigned int seed);

}  // namespace idemcheck::fuzz

#endif  // IDEMCHECK_FUZZ_RECORD_MUTATOR_H_
