/*
 * The stand-in's pod network for programs run as containers (kubelet/pod-network.ts builds this with the machine's
 * C compiler and sets LD_PRELOAD for each program). No network namespaces here, so three libc calls are wrapped
 * to give a process what a pod's network would:
 *
 * - bind(): an address of "any" (0.0.0.0 or ::) becomes the pod's own IP (STAND_IN_POD_IP, a 127.x.y.z address),
 *   so two pods both listening on :3100 do not collide, and each is reached at its pod IP.
 * - getaddrinfo(): cluster DNS. Names in the table (STAND_IN_NET_TABLE) resolve as CoreDNS would resolve them —
 *   `svc.ns.svc.cluster.local` to the ClusterIP, a headless Service to its pods, `pod.svc.ns.svc.cluster.local`
 *   for StatefulSet pods — with the pod's search path (`<ns>.svc.cluster.local svc.cluster.local cluster.local`,
 *   STAND_IN_POD_NAMESPACE); another name under cluster.local does not exist; everything else goes to libc.
 * - connect(): kube-proxy. A connection to a ClusterIP:port in the table goes to one of its ready endpoints
 *   (round robin), or is refused when it has none, as kube-proxy's REJECT rule does.
 *
 * The table is a text file the kubelet rewrites (by rename) when Services or pods change; it is re-read when its
 * inode or mtime changes. Lines: `host NAME IP [IP...]` and `svc IP PORT [IP:PORT...]`.
 *
 * And one safety net: a program whose parent is the test runner (STAND_IN_PARENT_PID) gets SIGKILL if the runner
 * dies without stopping it (PR_SET_PDEATHSIG), so a crashed test leaves no program behind.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dlfcn.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_ENTRIES 4096
#define MAX_ADDRS 16

struct host_entry { char name[256]; int n; char ips[MAX_ADDRS][16]; unsigned next; };
struct svc_entry { struct in_addr ip; unsigned short port; int n; struct in_addr to[MAX_ADDRS]; unsigned short to_port[MAX_ADDRS]; unsigned next; };

static struct host_entry hosts[MAX_ENTRIES];
static struct svc_entry svcs[MAX_ENTRIES];
static int nhosts, nsvcs;
static ino_t table_ino;
static struct timespec table_mtime;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static int (*real_bind)(int, const struct sockaddr *, socklen_t);
static int (*real_connect)(int, const struct sockaddr *, socklen_t);
static int (*real_getaddrinfo)(const char *, const char *, const struct addrinfo *, struct addrinfo **);

__attribute__((constructor)) static void pod_net_init(void) {
  real_bind = dlsym(RTLD_NEXT, "bind");
  real_connect = dlsym(RTLD_NEXT, "connect");
  real_getaddrinfo = dlsym(RTLD_NEXT, "getaddrinfo");
  const char *parent = getenv("STAND_IN_PARENT_PID");
  if (parent && atoi(parent) == (int)getppid()) prctl(PR_SET_PDEATHSIG, SIGKILL);
}

/* Re-reads the table when it changed; call with the lock held. */
static void load_table(void) {
  const char *path = getenv("STAND_IN_NET_TABLE");
  struct stat st;
  if (!path || stat(path, &st) != 0) return;
  if (st.st_ino == table_ino && st.st_mtim.tv_sec == table_mtime.tv_sec && st.st_mtim.tv_nsec == table_mtime.tv_nsec) return;
  FILE *f = fopen(path, "r");
  if (!f) return;
  table_ino = st.st_ino;
  table_mtime = st.st_mtim;
  nhosts = nsvcs = 0;
  char line[8192];
  while (fgets(line, sizeof line, f)) {
    char *save = NULL, *kind = strtok_r(line, " \t\n", &save);
    if (!kind) continue;
    if (strcmp(kind, "host") == 0 && nhosts < MAX_ENTRIES) {
      char *name = strtok_r(NULL, " \t\n", &save);
      if (!name || strlen(name) >= sizeof hosts[0].name) continue;
      struct host_entry *h = &hosts[nhosts];
      memset(h, 0, sizeof *h);
      strcpy(h->name, name);
      char *ip;
      while (h->n < MAX_ADDRS && (ip = strtok_r(NULL, " \t\n", &save))) {
        if (strlen(ip) < sizeof h->ips[0]) strcpy(h->ips[h->n++], ip);
      }
      nhosts++;
    } else if (strcmp(kind, "svc") == 0 && nsvcs < MAX_ENTRIES) {
      char *ip = strtok_r(NULL, " \t\n", &save), *port = strtok_r(NULL, " \t\n", &save);
      if (!ip || !port) continue;
      struct svc_entry *s = &svcs[nsvcs];
      memset(s, 0, sizeof *s);
      if (inet_pton(AF_INET, ip, &s->ip) != 1) continue;
      s->port = (unsigned short)atoi(port);
      char *to;
      while (s->n < MAX_ADDRS && (to = strtok_r(NULL, " \t\n", &save))) {
        char *colon = strrchr(to, ':');
        if (!colon) continue;
        *colon = 0;
        if (inet_pton(AF_INET, to, &s->to[s->n]) != 1) continue;
        s->to_port[s->n++] = (unsigned short)atoi(colon + 1);
      }
      nsvcs++;
    }
  }
  fclose(f);
}

static const char *pod_ip(void) { return getenv("STAND_IN_POD_IP"); }

int bind(int fd, const struct sockaddr *addr, socklen_t len) {
  if (!real_bind) real_bind = dlsym(RTLD_NEXT, "bind");
  const char *ip = pod_ip();
  if (ip && addr && addr->sa_family == AF_INET && len >= sizeof(struct sockaddr_in)) {
    struct sockaddr_in a;
    memcpy(&a, addr, sizeof a);
    if (a.sin_addr.s_addr == htonl(INADDR_ANY) && inet_pton(AF_INET, ip, &a.sin_addr) == 1) return real_bind(fd, (struct sockaddr *)&a, sizeof a);
  }
  if (ip && addr && addr->sa_family == AF_INET6 && len >= sizeof(struct sockaddr_in6)) {
    struct sockaddr_in6 a;
    memcpy(&a, addr, sizeof a);
    char mapped[64];
    snprintf(mapped, sizeof mapped, "::ffff:%s", ip);
    if (memcmp(&a.sin6_addr, &in6addr_any, sizeof a.sin6_addr) == 0 && inet_pton(AF_INET6, mapped, &a.sin6_addr) == 1) {
      int r = real_bind(fd, (struct sockaddr *)&a, sizeof a);
      /* An IPv6-only socket cannot take a v4-mapped address: then it binds as asked. */
      if (r == 0 || errno != EINVAL) return r;
    }
  }
  return real_bind(fd, addr, len);
}

int connect(int fd, const struct sockaddr *addr, socklen_t len) {
  if (!real_connect) real_connect = dlsym(RTLD_NEXT, "connect");
  struct in_addr dst;
  unsigned short port;
  int v6 = 0;
  if (addr && addr->sa_family == AF_INET && len >= sizeof(struct sockaddr_in)) {
    const struct sockaddr_in *a = (const struct sockaddr_in *)addr;
    dst = a->sin_addr;
    port = ntohs(a->sin_port);
  } else if (addr && addr->sa_family == AF_INET6 && len >= sizeof(struct sockaddr_in6) && IN6_IS_ADDR_V4MAPPED(&((const struct sockaddr_in6 *)addr)->sin6_addr)) {
    const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)addr;
    memcpy(&dst, &a->sin6_addr.s6_addr[12], 4);
    port = ntohs(a->sin6_port);
    v6 = 1;
  } else {
    return real_connect(fd, addr, len);
  }
  pthread_mutex_lock(&lock);
  load_table();
  int found = -1;
  for (int i = 0; i < nsvcs; i++) {
    if (svcs[i].ip.s_addr == dst.s_addr && svcs[i].port == port) { found = i; break; }
  }
  if (found < 0) {
    pthread_mutex_unlock(&lock);
    return real_connect(fd, addr, len);
  }
  struct svc_entry *s = &svcs[found];
  if (s->n == 0) {
    pthread_mutex_unlock(&lock);
    errno = ECONNREFUSED;
    return -1;
  }
  unsigned k = s->next++ % (unsigned)s->n;
  struct in_addr to = s->to[k];
  unsigned short to_port = s->to_port[k];
  pthread_mutex_unlock(&lock);
  if (v6) {
    struct sockaddr_in6 a;
    memcpy(&a, addr, sizeof a);
    memcpy(&a.sin6_addr.s6_addr[12], &to, 4);
    a.sin6_port = htons(to_port);
    return real_connect(fd, (struct sockaddr *)&a, sizeof a);
  }
  struct sockaddr_in a;
  memcpy(&a, addr, sizeof a);
  a.sin_addr = to;
  a.sin_port = htons(to_port);
  return real_connect(fd, (struct sockaddr *)&a, sizeof a);
}

/* The table's address for `name` (exact, lower case, without a trailing dot) into `out`; 1 when found. */
static int lookup(const char *name, char *out, size_t size) {
  for (int i = 0; i < nhosts; i++) {
    if (strcasecmp(hosts[i].name, name) == 0 && hosts[i].n > 0) {
      unsigned k = hosts[i].next++ % (unsigned)hosts[i].n;
      snprintf(out, size, "%s", hosts[i].ips[k]);
      return 1;
    }
  }
  return 0;
}

static int ends_with(const char *s, const char *suffix) {
  size_t a = strlen(s), b = strlen(suffix);
  return a >= b && strcasecmp(s + a - b, suffix) == 0;
}

int getaddrinfo(const char *node, const char *service, const struct addrinfo *hints, struct addrinfo **res) {
  if (!real_getaddrinfo) real_getaddrinfo = dlsym(RTLD_NEXT, "getaddrinfo");
  struct in_addr probe4;
  struct in6_addr probe6;
  if (!node || !getenv("STAND_IN_NET_TABLE") || inet_pton(AF_INET, node, &probe4) == 1 || inet_pton(AF_INET6, node, &probe6) == 1) return real_getaddrinfo(node, service, hints, res);
  char name[256];
  snprintf(name, sizeof name, "%s", node);
  size_t n = strlen(name);
  int absolute = n > 0 && name[n - 1] == '.';
  if (absolute) name[n - 1] = 0;
  const char *ns = getenv("STAND_IN_POD_NAMESPACE");
  char ip[64] = "", candidate[512];
  pthread_mutex_lock(&lock);
  load_table();
  int dots = 0;
  for (const char *p = name; *p; p++) dots += *p == '.';
  /* resolv.conf in a pod: search <ns>.svc.cluster.local svc.cluster.local cluster.local, ndots:5. */
  const char *search[3] = {NULL, "svc.cluster.local", "cluster.local"};
  char first[300];
  if (ns) {
    snprintf(first, sizeof first, "%s.svc.cluster.local", ns);
    search[0] = first;
  }
  int found = 0;
  if (!absolute && dots < 5) {
    for (int i = 0; i < 3 && !found; i++) {
      if (!search[i]) continue;
      snprintf(candidate, sizeof candidate, "%s.%s", name, search[i]);
      found = lookup(candidate, ip, sizeof ip);
    }
  }
  if (!found) found = lookup(name, ip, sizeof ip);
  pthread_mutex_unlock(&lock);
  if (!found) {
    /* Cluster DNS answers for its own domain: a name under cluster.local that is not in the table does not exist. */
    if (ends_with(name, ".cluster.local") || strcasecmp(name, "cluster.local") == 0) return EAI_NONAME;
    return real_getaddrinfo(node, service, hints, res);
  }
  struct addrinfo h;
  memset(&h, 0, sizeof h);
  if (hints) h = *hints;
  h.ai_flags |= AI_NUMERICHOST;
  h.ai_flags &= ~AI_CANONNAME;
  if (h.ai_family == AF_INET6) {
    char mapped[80];
    snprintf(mapped, sizeof mapped, "::ffff:%s", ip);
    h.ai_flags &= ~AI_V4MAPPED;
    return real_getaddrinfo(mapped, service, &h, res);
  }
  h.ai_family = AF_INET;
  return real_getaddrinfo(ip, service, &h, res);
}
