// `idemcheck`: the command-line face of the harness. See `idemcheck help`.

#include <algorithm>
#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "tools/command.h"

namespace idemcheck::cli {
namespace {

std::vector<Command>& MutableCommands() {
  static auto* commands = new std::vector<Command>();
  return *commands;
}

void PrintHelp(std::ostream& out) {
  out << "idemcheck: differential property and fuzz checking of idempotent create operations\n\n"
         "usage: idemcheck COMMAND [ARGS]\n\ncommands:\n";
  for (const Command& c : Commands()) {
    out << absl::StrFormat("  %-12s %s\n      %s\n", c.name, c.summary, c.usage);
  }
  out << "\nexit codes: 0 ok, 1 a check failed, 2 usage error or unreadable input\n";
}

}  // namespace

const std::vector<Command>& Commands() { return MutableCommands(); }

namespace internal {
CommandRegistrar::CommandRegistrar(Command command) {
  std::vector<Command>& commands = MutableCommands();
  commands.push_back(std::move(command));
  std::sort(commands.begin(), commands.end(),
            [](const Command& a, const Command& b) { return a.name < b.name; });
}
}  // namespace internal

}  // namespace idemcheck::cli

int main(int argc, char** argv) {
  using idemcheck::cli::Command;
  using idemcheck::cli::Commands;
  const std::vector<std::string> words(argv + 1, argv + argc);
  if (words.empty() || words[0] == "help" || words[0] == "--help" || words[0] == "-h") {
    idemcheck::cli::PrintHelp(words.empty() ? std::cerr : std::cout);
    return words.empty() ? idemcheck::cli::kExitUsage : idemcheck::cli::kExitOk;
  }
  for (const Command& c : Commands()) {
    if (c.name == words[0]) {
      return c.run(std::vector<std::string>(words.begin() + 1, words.end()), std::cout, std::cerr);
    }
  }
  std::cerr << "idemcheck: unknown command '" << words[0] << "'; run 'idemcheck help'\n";
  return idemcheck::cli::kExitUsage;
}
