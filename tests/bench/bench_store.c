/* Benchmark of the store paths the console and CLI hit on every screen:
 * listing servers, loading one server's IMAP4 page, saving it. Runs each at
 * two inventory sizes side by side and prints medians and their ratio. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/app.h"

#define RUNS 15

static double	 bench_now(void);
static int	 bench_cmp(const void *, const void *);
static double	 bench_median(double *, int);
static struct app *bench_site(const char *, int);

static double
bench_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (ts.tv_sec * 1e6 + ts.tv_nsec / 1e3);
}

static int
bench_cmp(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return ((x > y) - (x < y));
}

static double
bench_median(double *v, int n)
{
	qsort(v, n, sizeof *v, bench_cmp);
	return (v[n / 2]);
}

/* A database with n client access servers. */
static struct app *
bench_site(const char *dir, int n)
{
	struct app		*app;
	struct store_server	 s;
	char			 path[512], id[32], fqdn[64], *cause = NULL;
	int			 i;

	snprintf(path, sizeof path, "%s/bench-%d.db", dir, n);
	setenv("IMAPADM_CONFIG", "", 1);
	if (app_open(path, NULL, &app, &cause) != 0) {
		fprintf(stderr, "bench: %s\n", cause);
		exit(1);
	}
	for (i = 0; i < n; i++) {
		snprintf(id, sizeof id, "CAS%05d", i);
		snprintf(fqdn, sizeof fqdn, "cas%05d.contoso.test", i);
		s = (struct store_server){ id, fqdn, "ClientAccess",
		    "Default-First-Site-Name", "" };
		if (store_server_add(app->store, &s, "bench", &cause) != 0) {
			fprintf(stderr, "bench: %s\n", cause);
			exit(1);
		}
	}
	return (app);
}

struct bench_row {
	const char	*name;
	double		 median[2];	/* microseconds, small and large site */
};

int
main(void)
{
	static const int	 sizes[2] = { 100, 1000 };
	struct bench_row	 rows[3] = { { "list all servers", { 0, 0 } },
				    { "load one IMAP4 page", { 0, 0 } },
				    { "save one server (+audit)", { 0, 0 } } };
	double			 t[RUNS], t0;
	char			 dir[] = "/tmp/imapadm-bench-XXXXXX", *cause = NULL;
	struct store_server	*list;
	struct imap4_view	 v;
	long			 values[SETTING_COUNT];
	size_t			 n, k;
	int			 s, r;

	if (mkdtemp(dir) == NULL)
		return (1);
	for (s = 0; s < 2; s++) {
		struct app *app = bench_site(dir, sizes[s]);

		for (r = 0; r < RUNS; r++) {
			t0 = bench_now();
			if (store_server_list(app->store, &list, &n, &cause))
				return (1);
			t[r] = bench_now() - t0;
			store_server_list_free(list, n);
		}
		rows[0].median[s] = bench_median(t, RUNS);
		for (r = 0; r < RUNS; r++) {
			t0 = bench_now();
			if (imap4_load(app, "CAS00042", &v, &cause))
				return (1);
			t[r] = bench_now() - t0;
			imap4_view_free(&v);
		}
		rows[1].median[s] = bench_median(t, RUNS);
		for (r = 0; r < RUNS; r++) {
			if (imap4_load(app, "CAS00042", &v, &cause))
				return (1);
			for (k = 0; k < SETTING_COUNT; k++)
				values[k] = settings_table[k].min + r + 1;
			t0 = bench_now();
			if (imap4_save(app, "CAS00042", STORE_ANY, v.version, values, NULL,
			    &cause))
				return (1);
			t[r] = bench_now() - t0;
			imap4_view_free(&v);
		}
		rows[2].median[s] = bench_median(t, RUNS);
		app_close(app);
	}
	printf("%-28s %12s %12s %8s\n", "operation (median of 15)",
	    "100 servers", "1000 servers", "ratio");
	for (k = 0; k < 3; k++)
		printf("%-28s %10.1f us %10.1f us %7.2fx\n", rows[k].name,
		    rows[k].median[0], rows[k].median[1],
		    rows[k].median[1] / rows[k].median[0]);
	for (s = 0; s < 2; s++) {
		char path[512];

		snprintf(path, sizeof path, "%s/bench-%d.db", dir, sizes[s]);
		unlink(path);
		strncat(path, "-wal", sizeof path - strlen(path) - 1);
		unlink(path);
		path[strlen(path) - 4] = '\0';
		strncat(path, "-shm", sizeof path - strlen(path) - 1);
		unlink(path);
	}
	rmdir(dir);
	return (0);
}
