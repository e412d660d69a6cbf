/*
 * fetch_http.c - fetch's real source: an HTTP server on the loopback
 * interface, in this process, and a libcurl client per worker.
 *
 * DESIGN
 * The server (libmicrohttpd) starts in the workload's setup() and stops in
 * its teardown(), so it lives exactly as long as the cell. It binds
 * 127.0.0.1 port 0 and reads back the port the kernel chose: no fixed
 * port to collide with, nothing reachable from another machine; setup
 * returns once the server has answered one request. It serves
 * GET /bytes/N?delay=MS&task=I: after MS milliseconds, N bytes of task I's
 * payload pattern, or HTTP 500 when task I is one of the chosen failures.
 * One server thread per connection sleeps through each request's delay,
 * so a slow request holds up nobody else, as on a real server.
 *
 * Each worker owns one curl easy handle and reuses it for all its tasks:
 * curl keeps the connection open between requests (HTTP keep-alive), so a
 * task costs one request, not a TCP handshake, as a real crawler would.
 */
#include <arpa/inet.h>
#include <curl/curl.h>
#include <dlfcn.h>
#include <errno.h>
#include <inttypes.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "fetch.h"
#include "sys/clock.h"

#define MAX_DELAY_MS 60000.0
/* a connection per worker, and some to spare */
#define MAX_CONNECTIONS (MAX_WORKERS + 16)
#define BYTES_PATH "/bytes/"

/*
 * libcurl and libmicrohttpd are loaded when a cell first needs them
 * (dlopen), not linked into tvp. Linked, they and the thirty libraries
 * they pull in would be mapped in every runner, and every fork() of the
 * processes back end would copy their page tables: it made a forked
 * worker cost about three times a fork from a minimal program (see
 * docs/performance.md). The types still come from their headers.
 */
#define HTTP_CURL "libcurl.so.4"
#define HTTP_MHD "libmicrohttpd.so.12"

static struct {
	__typeof__(curl_global_init) *global_init;
	__typeof__(curl_global_cleanup) *global_cleanup;
	__typeof__(curl_easy_init) *easy_init;
	__typeof__(curl_easy_setopt) *easy_setopt;
	__typeof__(curl_easy_perform) *easy_perform;
	__typeof__(curl_easy_getinfo) *easy_getinfo;
	__typeof__(curl_easy_cleanup) *easy_cleanup;
	__typeof__(MHD_start_daemon) *start_daemon;
	__typeof__(MHD_stop_daemon) *stop_daemon;
	__typeof__(MHD_get_daemon_info) *get_daemon_info;
	__typeof__(MHD_queue_response) *queue_response;
	__typeof__(MHD_destroy_response) *destroy_response;
	__typeof__(MHD_create_response_from_buffer_with_free_callback) *response_with_free;
	__typeof__(MHD_create_response_from_buffer) *create_response_from_buffer;
	__typeof__(MHD_lookup_connection_value) *lookup_connection_value;
} http;

#define HTTP_FN(lib, name, field) { lib, #name, (void **)&http.field }

static const struct http_symbol {
	const char *lib, *name;
	void **fn;
} http_symbols[] = {
	HTTP_FN(HTTP_CURL, curl_global_init, global_init),
	HTTP_FN(HTTP_CURL, curl_global_cleanup, global_cleanup),
	HTTP_FN(HTTP_CURL, curl_easy_init, easy_init),
	HTTP_FN(HTTP_CURL, curl_easy_setopt, easy_setopt),
	HTTP_FN(HTTP_CURL, curl_easy_perform, easy_perform),
	HTTP_FN(HTTP_CURL, curl_easy_getinfo, easy_getinfo),
	HTTP_FN(HTTP_CURL, curl_easy_cleanup, easy_cleanup),
	HTTP_FN(HTTP_MHD, MHD_start_daemon, start_daemon),
	HTTP_FN(HTTP_MHD, MHD_stop_daemon, stop_daemon),
	HTTP_FN(HTTP_MHD, MHD_get_daemon_info, get_daemon_info),
	HTTP_FN(HTTP_MHD, MHD_queue_response, queue_response),
	HTTP_FN(HTTP_MHD, MHD_destroy_response, destroy_response),
	HTTP_FN(HTTP_MHD, MHD_create_response_from_buffer_with_free_callback,
		response_with_free),
	HTTP_FN(HTTP_MHD, MHD_create_response_from_buffer,
		create_response_from_buffer),
	HTTP_FN(HTTP_MHD, MHD_lookup_connection_value, lookup_connection_value),
};

#define N_HTTP_SYMBOLS (sizeof(http_symbols) / sizeof(*http_symbols))

/* 0, or -ELIBACC when a library or one of its functions is missing */
static int fetch_http_load(void)
{
	static int loaded;

	for (size_t i = 0; !loaded && i < N_HTTP_SYMBOLS; i++) {
		/* RTLD_NODELETE: never unloaded, so workers' pointers stay good */
		void *lib = dlopen(http_symbols[i].lib, RTLD_NOW | RTLD_NODELETE);

		*http_symbols[i].fn = lib ? dlsym(lib, http_symbols[i].name) : NULL;
		if (!*http_symbols[i].fn)
			return -ELIBACC;
	}
	loaded = 1;
	return 0;
}

/* ---- the server -------------------------------------------------------- */

/* queue r (NULL: could not make one) as the answer, and drop our hold */
static enum MHD_Result fetch_queue(struct MHD_Connection *conn,
				   unsigned status, struct MHD_Response *r)
{
	enum MHD_Result rc;

	if (!r)
		return MHD_NO;
	rc = http.queue_response(conn, status, r);
	http.destroy_response(r);
	return rc;
}

static enum MHD_Result fetch_reply(struct MHD_Connection *conn,
				   unsigned status, const char *text)
{
	return fetch_queue(conn, status, http.create_response_from_buffer(
		strlen(text), (void *)text, MHD_RESPMEM_PERSISTENT));
}

static enum MHD_Result fetch_reply_payload(struct MHD_Connection *conn,
					   const struct fetch *f, uint64_t id,
					   size_t n)
{
	char *body = malloc(n ? n : 1);
	struct MHD_Response *r;

	if (!body)
		return fetch_reply(conn, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory\n");
	fetch_fill(f->seed, id, body, n);
	/* the response owns the body from here and frees it when sent */
	r = http.response_with_free(n, body, free);
	if (!r)
		free(body);
	return fetch_queue(conn, MHD_HTTP_OK, r);
}

/* a whole non-negative decimal number, or -1 */
static double fetch_number(const char *s)
{
	char *end;
	double v;

	if (!s || !*s || *s == '-' || *s == '+')
		return -1;
	v = strtod(s, &end);
	return *end ? -1 : v;
}

static enum MHD_Result fetch_serve(void *cls, struct MHD_Connection *conn,
				   const char *url, const char *method,
				   const char *version, const char *upload,
				   size_t *upload_len, void **req)
{
	const struct fetch *f = cls;
	const char *task = http.lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "task");
	double delay = fetch_number(http.lookup_connection_value(
		conn, MHD_GET_ARGUMENT_KIND, "delay"));
	double n = -1, id = task ? fetch_number(task) : 0;
	struct timespec deadline;

	(void)version, (void)upload, (void)upload_len, (void)req;
	if (strcmp(method, MHD_HTTP_METHOD_GET) != 0)
		return fetch_reply(conn, MHD_HTTP_METHOD_NOT_ALLOWED, "GET only\n");
	if (strncmp(url, BYTES_PATH, strlen(BYTES_PATH)) == 0)
		n = fetch_number(url + strlen(BYTES_PATH));
	if (n < 0 || n > f->bytes || n != (double)(size_t)n)
		return fetch_reply(conn, MHD_HTTP_NOT_FOUND, "try /bytes/N?delay=MS\n");
	if (delay < 0 || delay > MAX_DELAY_MS || id < 0)
		return fetch_reply(conn, MHD_HTTP_BAD_REQUEST, "bad delay or task\n");
	/* sleep to a deadline, like the sim source: this thread serves only us */
	if (delay > 0) {
		deadline = clock_deadline(delay / 1e3);
		clock_sleep_until(&deadline);
	}
	if (fetch_fails(f, (uint64_t)id))
		return fetch_reply(conn, MHD_HTTP_INTERNAL_SERVER_ERROR, "this task fails\n");
	return fetch_reply_payload(conn, f, (uint64_t)id, (size_t)n);
}

/* GET w->url; the status of the answer, if one came */
static CURLcode fetch_http_perform(struct fetch_worker *w, long *status)
{
	CURLcode rc = http.easy_setopt(w->curl, CURLOPT_URL, w->url);

	if (rc == CURLE_OK)
		rc = http.easy_perform(w->curl);
	if (rc == CURLE_OK)
		rc = http.easy_getinfo(w->curl, CURLINFO_RESPONSE_CODE, status);
	return rc;
}

/*
 * One request before the cell goes on: the server's polling thread has
 * then started and taken the argument its creator handed it. A fork()
 * before that (the processes back end forks right after setup) copies a
 * heap block whose only pointer sits with a thread the child does not
 * have, and memcheck in the child calls it lost. The timed section does
 * not pay for the first connection's thread either.
 */
static int fetch_http_ready(struct fetch *f)
{
	char body[64];	/* room for an error page: task 0 may be a failure */
	struct fetch_worker w = { .buf = body, .cap = sizeof(body) };
	long status = 0;
	int err = fetch_http_worker_init(f, &w);

	snprintf(w.url, sizeof(w.url), "%s" BYTES_PATH "0?delay=0", f->base_url);
	if (!err && fetch_http_perform(&w, &status) != CURLE_OK)
		err = -ECONNREFUSED;
	fetch_http_worker_fini(&w);
	return err;
}

int fetch_http_start(struct fetch *f)
{
	struct sockaddr_in addr = {
		.sin_family = AF_INET,
		.sin_port = 0,	/* ephemeral: the kernel picks a free port */
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	const union MHD_DaemonInfo *info;
	int rc = fetch_http_load();

	if (rc)
		return rc;
	if (http.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return -EIO;
	errno = 0;
	f->server = http.start_daemon(
		MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION |
		MHD_USE_POLL, 0, NULL, NULL, fetch_serve, f,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)MAX_CONNECTIONS,
		MHD_OPTION_END);
	if (!f->server) {
		rc = errno ? -errno : -EIO;
		http.global_cleanup();
		return rc;
	}
	info = http.get_daemon_info(f->server, MHD_DAEMON_INFO_BIND_PORT);
	snprintf(f->base_url, sizeof(f->base_url), "http://127.0.0.1:%u",
		 info ? (unsigned)info->port : 0u);
	if (!info || !info->port)
		return -EADDRNOTAVAIL;
	return fetch_http_ready(f);
}

void fetch_http_stop(struct fetch *f)
{
	http.stop_daemon(f->server);	/* closes the socket, joins its threads */
	f->server = NULL;
	http.global_cleanup();
}

/* ---- the client: one reused easy handle per worker --------------------- */

static size_t fetch_http_write(char *data, size_t size, size_t n, void *arg)
{
	struct fetch_worker *w = arg;
	size_t bytes = size * n;

	if (w->len + bytes > w->cap)
		return 0;	/* more than we asked for: curl fails the transfer */
	memcpy(w->buf + w->len, data, bytes);
	w->len += bytes;
	return bytes;
}

int fetch_http_worker_init(struct fetch *f, struct fetch_worker *w)
{
	CURL *h = http.easy_init();
	CURLcode rc = CURLE_OK;

	(void)f;
	if (!h)
		return -ENOMEM;
	w->curl = h;
	/* worker threads must not get curl's SIGALRM-based timeouts */
	rc |= http.easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	/* a proxy from the environment must not see loopback traffic */
	rc |= http.easy_setopt(h, CURLOPT_PROXY, "");
	rc |= http.easy_setopt(h, CURLOPT_WRITEFUNCTION, fetch_http_write);
	rc |= http.easy_setopt(h, CURLOPT_WRITEDATA, w);
	return rc == CURLE_OK ? 0 : -EINVAL;
}

void fetch_http_worker_fini(struct fetch_worker *w)
{
	if (w->curl)
		http.easy_cleanup(w->curl);	/* closes its connection */
	w->curl = NULL;
}

/* one GET: the HTTP status, or -CURLcode when no answer came */
int fetch_http_get(struct fetch *f, struct fetch_worker *w, uint64_t id)
{
	long status = 0;
	CURLcode rc;

	snprintf(w->url, sizeof(w->url), "%s" BYTES_PATH "%u?delay=%.3f&task=%" PRIu64,
		 f->base_url, f->bytes, fetch_latency(f, id) * 1e3, id);
	w->len = 0;
	rc = fetch_http_perform(w, &status);
	if (rc != CURLE_OK) {
		w->len = 0;
		return -(int)rc;
	}
	if (status != MHD_HTTP_OK)
		w->len = 0;	/* an error page is not the payload */
	return (int)status;
}
