// Test-only fault injection for one store: which internal step of the next operation fails.
//
// An operation opens a `FaultSchedule::Operation` scope and calls `Fail()` before each step that
// allocates or mutates. When the armed step is reached, `Fail()` returns true once and the
// operation returns `Unavailable()` without having changed anything. Leaving the scope disarms
// the fault, whether it fired or not.

#ifndef IDEMCHECK_IMPL_FAULT_SCHEDULE_H_
#define IDEMCHECK_IMPL_FAULT_SCHEDULE_H_

#include <cstdint>

#include "absl/status/status.h"

namespace idemcheck {

class FaultSchedule {
 public:
  void Arm(uint64_t step) {
    armed_ = true;
    fired_ = false;
    target_ = step;
  }
  bool fired() const { return fired_; }

  // Whether this step fails. Costs one branch when nothing is armed.
  bool Fail() {
    if (!armed_ || fired_) return false;
    if (steps_++ != target_) return false;
    fired_ = true;
    return true;
  }

  static absl::Status Unavailable() {
    return absl::UnavailableError("injected fault: the operation changed nothing");
  }

  // Scope of one public operation: numbers its steps from 0 and disarms on exit.
  class Operation {
   public:
    explicit Operation(FaultSchedule& schedule) : schedule_(schedule) { schedule_.steps_ = 0; }
    ~Operation() { schedule_.armed_ = false; }
    Operation(const Operation&) = delete;
    Operation& operator=(const Operation&) = delete;

   private:
    FaultSchedule& schedule_;
  };

 private:
  bool armed_ = false;
  bool fired_ = false;
  uint64_t target_ = 0;
  uint64_t steps_ = 0;
};

}  // namespace idemcheck

#endif  // IDEMCHECK_IMPL_FAULT_SCHEDULE_H_
