#include "commands.h"

int main(int argc, char **argv)
{
	return rtdp_main(argc, argv);
}
