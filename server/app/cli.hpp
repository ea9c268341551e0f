#pragma once
// The command line (../shared/contract.md): serve, user add, token create, backup,
// plus event create and serve --demo.
namespace einlass::server {

// Exit status: 0 success, 2 usage error, 1 any other failure; one clear line on stderr.
int run_cli(int argc, char** argv);

}  // namespace einlass::server
