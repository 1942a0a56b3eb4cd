/*
 * mem_check.c - host driver for tests/test_mem.py: kernel/mem.c, the allocator,
 * over a buffer of this program's own. One command per line on stdin, one
 * answer line each:
 *
 *   init PAGES        the allocator over PAGES pages          -> ok
 *   alloc BYTES       mem_alloc(BYTES, 1)                     -> offset of the base, or 0
 *   free OFFSET       mem_free at that offset                 -> ok
 *   state             mem_free_bytes mem_largest mem_total
 *
 * A panic prints "panic: ..." and exits 1.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef unsigned int uint;
void	mem_init(uint start, uint end);
uint	mem_alloc(uint bytes, int owner);
void	mem_free(uint base);
uint	mem_free_bytes(void);
uint	mem_total(void);
uint	mem_largest(void);

static unsigned char *area;
static uint start;

void
panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printf("panic: ");
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
	exit(1);
}

int
main(void)
{
	char cmd[32];
	uint n;

	setvbuf(stdout, 0, _IOLBF, 0);
	while(scanf("%31s", cmd) == 1){
		if(strcmp(cmd, "state") == 0){
			printf("%u %u %u\n", mem_free_bytes(), mem_largest(), mem_total());
			continue;
		}
		if(scanf("%u", &n) != 1)
			return 2;
		if(strcmp(cmd, "init") == 0){
			free(area);
			area = malloc((n + 1) * 4096);
			start = (uint)(unsigned long)area;
			mem_init(start, start + n * 4096 + 4095);	/* rounds to whole pages */
			start = (start + 4095) & ~4095u;
			printf("ok\n");
		}else if(strcmp(cmd, "alloc") == 0){
			uint a = mem_alloc(n, 1);
			printf("%u\n", a ? a - start : 0);
		}else if(strcmp(cmd, "free") == 0){
			mem_free(start + n);
			printf("ok\n");
		}else
			return 2;
	}
	return 0;
}
