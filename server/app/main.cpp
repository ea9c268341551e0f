#include "server/app/cli.hpp"

int main(int argc, char** argv) { return einlass::server::run_cli(argc, argv); }
