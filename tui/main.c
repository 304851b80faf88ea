/* Entry point: the command line, or the console when no verb is given. */
#include <locale.h>

#include "core/cli.h"
#include "tui/tui.h"

int
main(int argc, char **argv)
{
	setlocale(LC_ALL, "");
	return (cli_main(argc, argv, tui_run));
}
