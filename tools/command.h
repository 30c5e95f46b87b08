// Subcommands of the `idemcheck` CLI. Each lives in its own file as a thin shell over library
// code and registers itself, so `idemcheck help` lists whatever is linked in.
//
// Exit codes, for every subcommand: 0 success, 1 a check failed (counterexample, divergence,
// regression), 2 usage error or unreadable input.

#ifndef IDEMCHECK_TOOLS_COMMAND_H_
#define IDEMCHECK_TOOLS_COMMAND_H_

#include <ostream>
#include <string>
#include <vector>

namespace idemcheck::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;
inline constexpr int kExitUsage = 2;

struct Command {
  std::string name;
  std::string usage;    // e.g. "check --impl NAME [--cases N] [--seed S]"
  std::string summary;  // one line for `idemcheck help`
  // `args` are the words after the subcommand name.
  int (*run)(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
};

const std::vector<Command>& Commands();

namespace internal {
struct CommandRegistrar {
  explicit CommandRegistrar(Command command);
};
}  // namespace internal

}  // namespace idemcheck::cli

#define IDEMCHECK_REGISTER_COMMAND(ident, ...) \
  static const ::idemcheck::cli::internal::CommandRegistrar idemcheck_command_##ident(__VA_ARGS__)

#endif  // IDEMCHECK_TOOLS_COMMAND_H_
