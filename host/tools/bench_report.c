/*
 * fgate-bench reports: the table on stdout, the JSON rows (json-c) and an
 * SVG chart of Mbit/s (log scale) against packet size, one polyline per
 * backend and operation, written as plain SVG text.
 */
#include <errno.h>
#include <json-c/json.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "tools/bench.h"

enum {
	SVG_W = 760,
	SVG_H = 460,
	SVG_LEFT = 80,
	SVG_RIGHT = 200,                /* legend column */
	SVG_TOP = 40,
	SVG_BOTTOM = 60,
	SVG_SERIES_MAX = 16,
};

static const char *const colours[] = {
	"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf",
};

/* ---- table ---- */

void bench_table_header(FILE *f)
{
	fprintf(f, "%-9s %-5s %5s %4s %8s %8s %10s %10s %11s %8s %9s %10s %8s %9s\n", "backend",
		"op", "size", "sas", "packets", "wall_s", "Mbit/s", "pkt/s", "cycles", "B/cycle",
		"pkt/cycle", "sim cyc/s", "Gb@100M", "Gb@Fmax");
}

void bench_table_row(FILE *f, const struct bench_row *r)
{
	fprintf(f, "%-9s %-5s %5zu %4u %8lu %8.3f %10.1f %10.0f", r->backend, bench_op_name(r->op),
		r->size, r->sas, r->packets, r->wall_s, r->mbps, r->pps);
	if (r->has_cycles)
		fprintf(f, " %11llu %8.4f %9.5f %10.0f %8.3f %9.3f", (unsigned long long)r->cycles,
			r->bytes_per_cycle, r->packets_per_cycle, r->sim_cycles_per_s,
			r->gbps_board, r->gbps_fmax);
	fputc('\n', f);
}

/* ---- JSON ---- */

static int add(struct json_object *obj, const char *key, struct json_object *val)
{
	if (!val || json_object_object_add(obj, key, val)) {
		json_object_put(val);
		return FG_ERR_NOMEM;
	}
	return 0;
}

static struct json_object *row_json(const struct bench_row *r)
{
	struct json_object *o = json_object_new_object();
	int rc = 0;

	if (!o)
		return NULL;
	rc |= add(o, "backend", json_object_new_string(r->backend));
	rc |= add(o, "op", json_object_new_string(bench_op_name(r->op)));
	rc |= add(o, "size", json_object_new_int64((int64_t)r->size));
	rc |= add(o, "sas", json_object_new_int64(r->sas));
	rc |= add(o, "packets", json_object_new_int64((int64_t)r->packets));
	rc |= add(o, "wall_s", json_object_new_double(r->wall_s));
	rc |= add(o, "mbps", json_object_new_double(r->mbps));
	rc |= add(o, "pps", json_object_new_double(r->pps));
	if (r->has_cycles) {
		rc |= add(o, "cycles", json_object_new_int64((int64_t)r->cycles));
		rc |= add(o, "bytes_per_cycle", json_object_new_double(r->bytes_per_cycle));
		rc |= add(o, "packets_per_cycle", json_object_new_double(r->packets_per_cycle));
		rc |= add(o, "sim_cycles_per_s", json_object_new_double(r->sim_cycles_per_s));
		rc |= add(o, "gbps_100mhz", json_object_new_double(r->gbps_board));
		rc |= add(o, "gbps_fmax", json_object_new_double(r->gbps_fmax));
	}
	if (rc) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

int bench_json_write(const char *path, const struct bench_row *rows, size_t n)
{
	struct json_object *arr = json_object_new_array(), *o;
	int rc = 0;
	size_t i;

	if (!arr)
		return FG_ERR_NOMEM;
	for (i = 0; i < n && !rc; i++) {
		o = row_json(&rows[i]);
		if (!o || json_object_array_add(arr, o)) {
			json_object_put(o);
			rc = FG_ERR_NOMEM;
		}
	}
	if (!rc && json_object_to_file_ext(path, arr, JSON_C_TO_STRING_PRETTY)) {
		fprintf(stderr, "fgate-bench: cannot write %s: %s\n", path, json_util_get_last_err());
		rc = FG_ERR_IO;
	}
	json_object_put(arr);
	return rc;
}

/* ---- SVG ---- */

struct axes {
	double xmin, xmax;              /* packet size, linear */
	double lmin, lmax;              /* log10 Mbit/s */
};

static double px(const struct axes *a, double size)
{
	double w = SVG_W - SVG_LEFT - SVG_RIGHT;

	return SVG_LEFT + (a->xmax > a->xmin ? (size - a->xmin) / (a->xmax - a->xmin) * w : w / 2);
}

static double py(const struct axes *a, double mbps)
{
	double h = SVG_H - SVG_TOP - SVG_BOTTOM;
	double l = log10(mbps > 0 ? mbps : pow(10, a->lmin));

	return SVG_TOP + h - (l - a->lmin) / (a->lmax - a->lmin) * h;
}

static void find_axes(const struct bench_row *rows, size_t n, struct axes *a)
{
	double lo = INFINITY, hi = 0;
	size_t i;

	a->xmin = 0;
	a->xmax = 0;
	for (i = 0; i < n; i++) {
		if ((double)rows[i].size > a->xmax)
			a->xmax = (double)rows[i].size;
		if (rows[i].mbps > 0 && rows[i].mbps < lo)
			lo = rows[i].mbps;
		if (rows[i].mbps > hi)
			hi = rows[i].mbps;
	}
	if (hi <= 0) {
		lo = 1;
		hi = 10;
	}
	a->lmin = floor(log10(lo));
	a->lmax = ceil(log10(hi));
	if (a->lmax <= a->lmin)
		a->lmax = a->lmin + 1;
}

static void draw_axes(FILE *f, const struct axes *a)
{
	double x0 = SVG_LEFT, x1 = SVG_W - SVG_RIGHT, y0 = SVG_H - SVG_BOTTOM, y1 = SVG_TOP;
	int d;

	fprintf(f, "<line x1='%.1f' y1='%.1f' x2='%.1f' y2='%.1f' stroke='black'/>\n", x0, y0, x1, y0);
	fprintf(f, "<line x1='%.1f' y1='%.1f' x2='%.1f' y2='%.1f' stroke='black'/>\n", x0, y0, x0, y1);
	for (d = (int)a->lmin; d <= (int)a->lmax; d++) {
		double y = py(a, pow(10, d));

		fprintf(f, "<line x1='%.1f' y1='%.1f' x2='%.1f' y2='%.1f' stroke='#ddd'/>\n", x0, y,
			x1, y);
		fprintf(f, "<text x='%.1f' y='%.1f' text-anchor='end'>%g</text>\n", x0 - 6, y + 4,
			pow(10, d));
	}
	for (d = 0; d <= 4; d++) {
		double s = a->xmin + (a->xmax - a->xmin) * d / 4, x = px(a, s);

		fprintf(f, "<line x1='%.1f' y1='%.1f' x2='%.1f' y2='%.1f' stroke='black'/>\n", x, y0,
			x, y0 + 5);
		fprintf(f, "<text x='%.1f' y='%.1f' text-anchor='middle'>%.0f</text>\n", x, y0 + 20,
			s);
	}
	fprintf(f, "<text x='%.1f' y='%d' text-anchor='middle'>payload bytes per packet</text>\n",
		(x0 + x1) / 2, SVG_H - 15);
	fprintf(f, "<text transform='translate(20,%.1f) rotate(-90)' text-anchor='middle'>"
		"Mbit/s (log scale)</text>\n", (y0 + y1) / 2);
	fprintf(f, "<text x='%.1f' y='24' text-anchor='middle' font-weight='bold'>fgate-bench: "
		"ESP 3DES-CBC + HMAC-SHA1-96 throughput</text>\n", (x0 + x1) / 2);
}

/* Series are the distinct backend/op pairs, in first-seen order. */
static size_t series(const struct bench_row *rows, size_t n, size_t first[SVG_SERIES_MAX])
{
	size_t ns = 0, i, j;

	for (i = 0; i < n && ns < SVG_SERIES_MAX; i++) {
		for (j = 0; j < ns; j++)
			if (!strcmp(rows[first[j]].backend, rows[i].backend) &&
			    rows[first[j]].op == rows[i].op)
				break;
		if (j == ns)
			first[ns++] = i;
	}
	return ns;
}

static void draw_series(FILE *f, const struct axes *a, const struct bench_row *rows, size_t n,
			size_t s, const struct bench_row *key)
{
	const char *c = colours[s % (sizeof(colours) / sizeof(colours[0]))];
	double ly = SVG_TOP + 10 + 22.0 * (double)s, lx = SVG_W - SVG_RIGHT + 20;
	size_t i;

	fprintf(f, "<polyline fill='none' stroke='%s' stroke-width='2'%s points='", c,
		key->op == BENCH_DECAP ? " stroke-dasharray='6,3'" : "");
	for (i = 0; i < n; i++)
		if (!strcmp(rows[i].backend, key->backend) && rows[i].op == key->op)
			fprintf(f, "%.1f,%.1f ", px(a, (double)rows[i].size), py(a, rows[i].mbps));
	fprintf(f, "'/>\n");
	for (i = 0; i < n; i++)
		if (!strcmp(rows[i].backend, key->backend) && rows[i].op == key->op)
			fprintf(f, "<circle cx='%.1f' cy='%.1f' r='3' fill='%s'/>\n",
				px(a, (double)rows[i].size), py(a, rows[i].mbps), c);
	fprintf(f, "<line x1='%.1f' y1='%.1f' x2='%.1f' y2='%.1f' stroke='%s' stroke-width='2'%s/>\n",
		lx, ly, lx + 24, ly, c, key->op == BENCH_DECAP ? " stroke-dasharray='6,3'" : "");
	if (key->has_cycles)
		fprintf(f, "<text x='%.1f' y='%.1f'>%s (%u lanes) %s</text>\n", lx + 30, ly + 4,
			key->backend, key->cores, bench_op_name(key->op));
	else
		fprintf(f, "<text x='%.1f' y='%.1f'>%s %s</text>\n", lx + 30, ly + 4,
			key->backend, bench_op_name(key->op));
}

/* The rows plus, for each clocked row, its projection at the board clock
 * as a series of its own ("sim@100MHz"). Returns the count, or 0. */
static size_t with_projection(const struct bench_row *rows, size_t n, struct bench_row **out)
{
	struct bench_row *all = calloc(2 * n + 1, sizeof(*all));
	size_t m = n, i;

	*out = all;
	if (!all)
		return 0;
	memcpy(all, rows, n * sizeof(*rows));
	for (i = 0; i < n; i++) {
		if (!rows[i].has_cycles)
			continue;
		all[m] = rows[i];
		snprintf(all[m].backend, sizeof(all[m].backend), "%s@100MHz", rows[i].backend);
		all[m].mbps = rows[i].gbps_board * 1000;
		all[m].has_cycles = false;
		m++;
	}
	return m;
}

int bench_svg_write(const char *path, const struct bench_row *in, size_t nin)
{
	size_t first[SVG_SERIES_MAX], ns, s, n;
	struct bench_row *rows;
	struct axes a;
	FILE *f;

	n = with_projection(in, nin, &rows);
	if (!rows)
		return FG_ERR_NOMEM;
	f = fopen(path, "w");
	if (!f) {
		fprintf(stderr, "fgate-bench: cannot write %s: %s\n", path, strerror(errno));
		free(rows);
		return FG_ERR_IO;
	}
	find_axes(rows, n, &a);
	fprintf(f, "<?xml version='1.0' encoding='UTF-8'?>\n"
		"<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' "
		"font-family='sans-serif' font-size='12'>\n"
		"<rect width='100%%' height='100%%' fill='white'/>\n", SVG_W, SVG_H);
	draw_axes(f, &a);
	ns = series(rows, n, first);
	for (s = 0; s < ns; s++)
		draw_series(f, &a, rows, n, s, &rows[first[s]]);
	fprintf(f, "</svg>\n");
	free(rows);
	if (fclose(f)) {
		fprintf(stderr, "fgate-bench: cannot write %s: %s\n", path, strerror(errno));
		return FG_ERR_IO;
	}
	return 0;
}
