/*
 * rtdp-webhook: flags, then the server until SIGTERM or SIGINT. Signals are
 * blocked in every thread and taken synchronously here with sigwait(), so no
 * code runs in a signal handler. Exit codes: 0 clean stop, 1 failure to start
 * (or requests cut off at the end of the grace period), 2 usage.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "server.h"
#include "wlog.h"
#include "rtdp/version.h"
#include "rtdp/banned.h"

static int wait_for_stop(struct server *s, const sigset_t *set)
{
	int sig = 0;

	for (;;) {
		if (sigwait(set, &sig) != 0)
			continue;
		if (sig == SIGHUP) {
			server_check_files(s);
			continue;
		}
		wlog(WLOG_INFO, "received %s", sig == SIGTERM ? "SIGTERM" : "SIGINT");
		return server_stop(s) ? 0 : 1;
	}
}

int main(int argc, char **argv)
{
	struct webhook_config cfg;
	struct rtdp_error err;
	struct server *s = NULL;
	sigset_t set;

	rtdp_error_init(&err);
	config_defaults(&cfg);
	if (config_parse(&cfg, argc, (const char *const *)argv, &err) != RTDP_OK) {
		fprintf(stderr, "rtdp-webhook: %s (see --help)\n", err.msg);
		return 2;
	}
	if (cfg.help || cfg.version) {
		if (cfg.help)
			config_usage(stdout);
		else
			printf("rtdp-webhook %s\n", RTDP_VERSION);
		return 0;
	}
	wlog_set_level(cfg.log_level);
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	if (server_start(&cfg, &s, &err) != RTDP_OK) {
		wlog(WLOG_ERROR, "cannot start: %s", err.msg);
		return 1;
	}
	return wait_for_stop(s, &set);
}
