/* maxrss CMD [ARG...]: run CMD with its output thrown away and print its
 * peak resident set in KiB. A small parent of its own: a child's peak
 * counts the memory it was forked with, so python or bash would hide it. */
#include <sys/resource.h>
#include <sys/wait.h>

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

int
main(int argc, char *argv[])
{
	struct rusage	 ru;
	pid_t		 pid;
	int		 status, fd;

	if (argc < 2) {
		fprintf(stderr, "usage: maxrss command [argument ...]\n");
		return (2);
	}
	if ((pid = fork()) == -1) {
		perror("maxrss: fork");
		return (2);
	}
	if (pid == 0) {
		if ((fd = open("/dev/null", O_WRONLY)) != -1)
			dup2(fd, STDOUT_FILENO);
		execvp(argv[1], argv + 1);
		perror(argv[1]);
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) == -1) {
		perror("maxrss: wait4");
		return (2);
	}
	printf("%ld\n", ru.ru_maxrss);
	return (WIFEXITED(status) ? WEXITSTATUS(status) : 1);
}
