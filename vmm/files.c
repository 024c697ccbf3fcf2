/* vmm/files.c: the shared folder and the guest fd table. */
#include "files.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "util.h"

int share_open_dir(struct share *s, const char *path, bool ro)
{
	s->ro = ro;
	s->dirfd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	return s->dirfd < 0 ? -errno : 0;
}

void share_close(struct share *s)
{
	if (s->dirfd >= 0)
		close(s->dirfd);
	s->dirfd = -1;
}

/* openat2 beneath dirfd. EXDEV (".." or a symlink leaving the folder) becomes EACCES:
 * to the guest it is a path it may not use. */
static int beneath(int dirfd, const char *path, int flags, mode_t mode)
{
	struct open_how how = {
		.flags = (uint64_t)(flags | O_CLOEXEC),
		.mode = (flags & O_CREAT) ? mode : 0,
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS,
	};
	long fd;

	while (*path == '/') /* "/" is the folder itself */
		path++;
	if (!*path)
		path = ".";
	fd = RETRY_EINTR(syscall(SYS_openat2, dirfd, path, &how, sizeof(how)));
	if (fd < 0)
		return errno == EXDEV ? -EACCES : -errno;
	return (int)fd;
}

int share_open(const struct share *s, const char *path, int flags, mode_t mode)
{
	if (s->dirfd < 0)
		return -EACCES;
	return beneath(s->dirfd, path, flags, mode);
}

int share_parent(const struct share *s, const char *path, const char **name)
{
	char dir[4096];
	const char *slash, *last;
	size_t n = strlen(path);

	if (s->dirfd < 0)
		return -EACCES;
	while (n && path[n - 1] == '/') /* "a/b/" names b */
		n--;
	if (n >= sizeof(dir))
		return -ENAMETOOLONG;
	memcpy(dir, path, n);
	dir[n] = '\0';
	slash = strrchr(dir, '/');
	last = slash ? slash + 1 : dir;
	if (!*last || !strcmp(last, ".") || !strcmp(last, ".."))
		return -EINVAL;
	*name = path + (last - dir);
	/* The caller uses *name up to its own length: cut the trailing slashes there too. */
	if (slash)
		dir[slash - dir] = '\0';
	else
		strcpy(dir, ".");
	return beneath(s->dirfd, dir, O_PATH | O_DIRECTORY, 0);
}

void files_init(struct files *f, const struct share *s, int max)
{
	pthread_mutex_init(&f->lock, NULL);
	f->share = s;
	f->max = max;
	f->open = 0;
	f->tab = xcalloc((size_t)max, sizeof(*f->tab));
	for (int i = 0; i < max; i++)
		f->tab[i] = (struct file){ .kind = FILE_FREE, .host = -1 };
	f->tab[0] = (struct file){ FILE_CONSOLE_IN, -1, true, false };
	f->tab[1] = (struct file){ FILE_CONSOLE_OUT, -1, false, true };
	f->tab[2] = (struct file){ FILE_CONSOLE_ERR, -1, false, true };
}

int files_alloc(struct files *f)
{
	for (int i = 3; i < f->max; i++)
		if (f->tab[i].kind == FILE_FREE)
			return i;
	return -EMFILE;
}

struct file *files_get(struct files *f, int64_t fd)
{
	if (fd < 0 || fd >= f->max || f->tab[fd].kind == FILE_FREE)
		return NULL;
	return &f->tab[fd];
}

int files_close(struct files *f, int64_t fd)
{
	struct file *e = files_get(f, fd);

	if (!e)
		return -EBADF;
	if (e->host >= 0) {
		close(e->host);
		f->open--;
	}
	*e = (struct file){ .kind = FILE_FREE, .host = -1 };
	return 0;
}

void files_destroy(struct files *f)
{
	if (!f->tab)
		return;
	for (int i = 0; i < f->max; i++)
		files_close(f, i);
	free(f->tab);
	f->tab = NULL;
}
