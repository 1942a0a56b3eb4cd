/* tests/fuzz/h3sm_fuzz.c -- libFuzzer target: the H3sm outer interpreter and the
 * please parser, hosted (make fuzz-h3sm, docs/robustness.md).
 *
 * An input is H3sm source for EVALUATE, unless its first byte is 'P' (the rest is a
 * please message for the parser, asked by an owner) or 'G' (asked by a guest). The
 * image (h3sm/fuzz.inc) was set up once with tests/please/host.fs and
 * tests/fuzz/sandbox.fs; between inputs the image, its dictionary and its buffers
 * are put back as they were then.
 *
 * A crash (abort, so libFuzzer keeps the input) is: a fault outside H3sm's code; an
 * illegal instruction (but in please.fs's UD2, there for `selftest fault`); a write fault (stores are sandboxed, so only the interpreter
 * can make one); a read of the guard page after the input; after an input, HERE
 * out of the inputs' part, a broken word list, or a changed byte of the image
 * other than its variables. Reads of other addresses are the input's own: they
 * THROW -9 as in the hosted h3sm. Each input has a CPU budget (ITIMER_VIRTUAL):
 * after BUDGET_MS it gets THROW -28 (as ^C), and if it still runs a period later
 * it is ended (a loop that CATCHes every THROW). H3SM_FUZZ_SHOW=1 writes the
 * output (to see what an input does: build/h3sm-fuzz FILE). H3SM_FUZZ_RAW=1 hides the
 * sandbox's words too, so an input gets the real stores (tests/test_fuzz_h3sm.py
 * shows with it that the checks catch a wild store).
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <ucontext.h>
#include <unistd.h>

/* h3sm/fuzz.inc, h3sm/hosted.inc */
extern int fz_init(const char *text, int len);
extern void fz_seal(void);
extern int fz_run(const char *text, int len, uint32_t xt);
extern uint32_t fz_find(const char *name, int len);
extern void fz_leave(void);
extern void on_signal(int sig, siginfo_t *info, void *uc);
extern char image_start[], image_end[], parse_code[], parse_code_end[];
extern uint32_t var_SRCADDR, var_SRCLEN;
extern uint32_t map2, fz_rbottom, fz_show;
extern uint32_t var_DP, var_LATEST, var_DPLIM, var_STATE, var_HANDLER, var_BUF, var_HLATEST;
extern const uint32_t __start_fzmut[], __stop_fzmut[];

/* libFuzzer's extra counters; the layout is fuzz.inc's FZ_*_BASE */
__attribute__((section("__libfuzzer_extra_counters"), aligned(8))) uint8_t fz_cov[4096 + 2 * 16384];

#define PAGE 4096
#define BUF_AREA_SIZE 0x9000 /* h3sm/layout.inc */
#define M_DSTK PAGE          /* h3sm/hosted.inc: data stack pages 1-2, pointer 5 */
#define M_PSTK (5 * PAGE)
#define INPUT_MAX (64 * 1024)
#define BUDGET_MS 2

static char *snap;             /* the image and the setup's dictionary */
static uint32_t dp0, latest0;
static char *bufsnap;
static uint8_t *mutmask;       /* 1: a byte an input may change */
static uint32_t (*fixed)[2];   /* the runs of bytes no input may change: offset, length */
static unsigned nfixed;
static char *inbuf;            /* INPUT_MAX bytes, then a guard page */
static uint32_t xt_ask, xt_ask_guest, xt_ud2;
static volatile int running, fires;
static int budget_us = BUDGET_MS * 1000, budget_timer = ITIMER_VIRTUAL;
static unsigned long n_inputs, n_budget_throws, n_ended;
static uint64_t ever[sizeof fz_cov / 8];      /* every counter any input reached */

static void die(const char *why)
{
    write(2, "h3sm-fuzz: ", 11);
    write(2, why, strlen(why));
    write(2, "\n", 1);
    abort();
}

static int in_code(uint32_t eip)
{
    return eip >= (uint32_t)image_start && eip < var_DPLIM;
}

static void handler(int sig, siginfo_t *si, void *ucv)
{
    ucontext_t *uc = ucv;
    greg_t *g = uc->uc_mcontext.gregs;
    uint32_t eip = g[REG_EIP];
    static char msg[200];
    if (sig == SIGVTALRM || sig == SIGALRM) {
        if (!running || !in_code(eip))
            return;             /* in the harness: the next period decides */
        fires++;
        if (fires == 1) {
            n_budget_throws++;
            on_signal(SIGINT, si, uc);          /* THROW -28, as ^C */
        } else if (fires >= 2) {
            n_ended++;
            g[REG_EIP] = (greg_t)(uintptr_t)fz_leave;
            g[REG_EFL] &= ~0x400;   /* DF: CMOVE> may have been stopped in its std */
        }
        return;
    }
    snprintf(msg, sizeof msg, "signal %d at eip %#x, address %#x: ", sig, eip,
             (uint32_t)(uintptr_t)si->si_addr);
    if (!running || !in_code(eip))
        die(strcat(msg, "outside H3sm's code"));
    if (sig == SIGILL && !(eip >= xt_ud2 && eip < xt_ud2 + 16))
        die(strcat(msg, "an illegal instruction in H3sm's code"));
    if (sig == SIGSEGV || sig == SIGBUS) {
        uint32_t a = (uint32_t)(uintptr_t)si->si_addr;
        uint32_t guard = (uint32_t)(uintptr_t)inbuf + INPUT_MAX;
        uint32_t m = map2, r = fz_rbottom;
        int stack_guard = (a >= m && a < m + PAGE) || (a >= m + 3 * PAGE && a < m + 5 * PAGE) ||
                          (a >= m + 6 * PAGE && a < m + 7 * PAGE) || (a >= r && a < r + PAGE);
        /* the guard page after the input: a defect when the interpreter's own
         * parsing reads past the end of the source; an address the input made
         * itself (SOURCE + ... C@, a string it EVALUATEs past its end) is the
         * input's bad read, answered -9 as any other */
        if (a >= guard && a < guard + PAGE && eip >= (uint32_t)(uintptr_t)parse_code
            && eip < (uint32_t)(uintptr_t)parse_code_end && a >= var_SRCADDR + var_SRCLEN)
            die(strcat(msg, "the interpreter's parsing read past the end of the source"));
        if ((g[REG_ERR] & 2) && !stack_guard)
            die(strcat(msg, "a write fault outside the stacks' guard pages"));
    }
    on_signal(sig, si, uc);     /* stack faults, -9 for reads, -10 */
}

static void install(void)
{
    static char altstack[64 * 1024];
    stack_t ss = { .ss_sp = altstack, .ss_size = sizeof altstack };
    sigaltstack(&ss, NULL);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = handler;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    /* SIGALRM only for H3SM_FUZZ_BUDGET_US: otherwise it is libFuzzer's (-timeout) */
    int sigs[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGVTALRM,
                   budget_timer == ITIMER_REAL ? SIGALRM : SIGVTALRM };
    for (unsigned i = 0; i < sizeof sigs / sizeof *sigs; i++)
        sigaction(sigs[i], &sa, NULL);
}

static void report(void)
{
    unsigned places = 0;
    const uint8_t *e = (const uint8_t *)ever;
    for (unsigned i = 0; i < sizeof fz_cov; i++)
        places += e[i] != 0;
    fprintf(stderr, "h3sm-fuzz: %lu inputs; %lu reached the %d us %s budget (THROW -28), "
            "%lu of them ended after it; %u of %u H3sm counters reached\n", n_inputs,
            n_budget_throws, budget_us, budget_timer == ITIMER_REAL ? "real-time" : "CPU",
            n_ended, places, (unsigned)sizeof fz_cov);
}

static void setup(void)
{
    const char *root = getenv("H3SM_FUZZ_ROOT");
    char text[2048];
    if (!root)
        root = ".";
    fz_show = getenv("H3SM_FUZZ_SHOW") != NULL;
    /* H3SM_FUZZ_BUDGET_US=n: the budget in microseconds of real time (ITIMER_REAL,
     * exact), to replay an input with its THROW -28 landing at other places */
    if (getenv("H3SM_FUZZ_BUDGET_US")) {
        budget_us = atoi(getenv("H3SM_FUZZ_BUDGET_US"));
        budget_timer = ITIMER_REAL;
        if (budget_us <= 0)
            die("H3SM_FUZZ_BUDGET_US wants a number of microseconds");
    }
    snprintf(text, sizeof text, "LATEST @ CONSTANT FZ-PRELUDE-END "
             "S\" %s/tests/please/host.fs\" INCLUDED "
             "S\" %s/tests/fuzz/sandbox.fs\" INCLUDED", root, root);
    install();
    int errors = fz_init(text, strlen(text));
    if (errors)
        die("the setup reported errors (run from the repository, or set H3SM_FUZZ_ROOT)");
    fz_seal();
    xt_ask = fz_find("FZ-ASK", 6);
    xt_ask_guest = fz_find("FZ-ASK-GUEST", 12);
    xt_ud2 = fz_find("UD2", 3);       /* please.fs's `selftest fault`: meant to fault */
    if (!xt_ask || !xt_ask_guest || !xt_ud2)
        die("FZ-ASK or UD2 is missing");
    if (getenv("H3SM_FUZZ_RAW"))   /* the checks' own test: no sandbox at all */
        fz_run("HERE FZ-PUBLIC ! FZ-HIDE", 24, 0);
    else
        fz_run("FZ-HIDE", 7, 0);
    var_HLATEST = -1;                 /* FZ-HIDE changed a link: rebuild the buckets */
    if (fz_find("FZ-ASK", 6) || fz_find("HANDLE", 6))
        die("FZ-HIDE hid nothing");
    dp0 = var_DP;
    latest0 = var_LATEST;
    uint32_t n = dp0 - (uint32_t)image_start;
    snap = malloc(n);
    mutmask = calloc(n, 1);
    bufsnap = malloc(BUF_AREA_SIZE);
    memcpy(snap, image_start, n);
    memcpy(bufsnap, (void *)var_BUF, BUF_AREA_SIZE);
    for (const uint32_t *p = __start_fzmut; p < __stop_fzmut; p += 2)
        memset(mutmask + (p[0] - (uint32_t)image_start), 1, p[1]);
    /* the setup's own data: bodies of its CREATEd words, VALUE and DEFER cells,
       are its to change: everything from the image's end to dp0 but the headers
       and the code of colon definitions cannot be told apart cheaply, so the
       check covers the image itself (primitives, interpreter, compiler) and
       every header of the word list but its bucket link */
    memset(mutmask + (image_end - image_start), 1, dp0 - (uint32_t)image_end);
    for (uint32_t h = latest0; h; h = *(uint32_t *)h) {
        uint32_t at = h - (uint32_t)image_start, nlen = ((uint8_t *)h)[10];
        memset(mutmask + at, 0, 11 + nlen);
        memset(mutmask + at + 11 + nlen, 1, 4);     /* the bucket link: rebuilt */
    }
    /* IMMEDIATE and COMPILE-ONLY change the newest header's flags */
    mutmask[latest0 + 8 - (uint32_t)image_start] = 1;
    fixed = malloc(sizeof *fixed * (n / 2 + 1));
    for (uint32_t i = 0; i < n;) {
        uint32_t j = i;
        while (j < n && !mutmask[j])
            j++;
        if (j > i) {
            fixed[nfixed][0] = i;
            fixed[nfixed++][1] = j - i;
        }
        for (i = j; i < n && mutmask[i]; i++)
            ;
    }
    inbuf = mmap(NULL, INPUT_MAX + PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (inbuf == MAP_FAILED || mprotect(inbuf + INPUT_MAX, PAGE, PROT_NONE))
        die("no input buffer");
    atexit(report);
}

static void restore(void)
{
    uint32_t n = dp0 - (uint32_t)image_start;
    memcpy(image_start, snap, n);
    memcpy((void *)var_BUF, bufsnap, BUF_AREA_SIZE);
    uint32_t page = (dp0 + PAGE - 1) & -PAGE;
    memset((void *)dp0, 0, page - dp0);
    madvise((void *)page, var_DPLIM - page, MADV_DONTNEED);
    memset((void *)(map2 + M_DSTK), 0, 2 * PAGE);
    memset((void *)(map2 + M_PSTK), 0, PAGE);
}

static void check(void)
{
    static char msg[160];
    uint32_t dp = var_DP;
    if (dp < dp0 || dp > var_DPLIM) {
        snprintf(msg, sizeof msg, "HERE %#x is outside the inputs' part %#x..%#x", dp, dp0, var_DPLIM);
        die(msg);
    }
    uint32_t h = var_LATEST, newer = dp;
    for (; h >= dp0; newer = h, h = *(uint32_t *)h) {
        uint8_t nlen = ((uint8_t *)h)[10];
        uint32_t xt = ((uint32_t *)h)[1];
        if (h >= newer || (h & 3) || nlen > 31 || xt < h + 11 + nlen || xt > dp) {
            snprintf(msg, sizeof msg, "a broken header at %#x (xt %#x, name length %u)", h, xt, nlen);
            die(msg);
        }
    }
    if (h != latest0) {
        snprintf(msg, sizeof msg, "the word list leaves the inputs' part at %#x, not %#x", h, latest0);
        die(msg);
    }
    for (unsigned k = 0; k < nfixed; k++)
        if (memcmp(image_start + fixed[k][0], snap + fixed[k][0], fixed[k][1]) != 0)
            for (uint32_t i = fixed[k][0]; i < fixed[k][0] + fixed[k][1]; i++)
                if (image_start[i] != snap[i]) {
                    snprintf(msg, sizeof msg, "the image changed at %#x", (uint32_t)image_start + i);
                    die(msg);
                }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    if (!ready) {
        setup();
        ready = 1;
    }
    if (size > INPUT_MAX)
        size = INPUT_MAX;
    uint32_t xt = 0;
    if (size >= 1 && (data[0] == 'P' || data[0] == 'G')) {
        xt = data[0] == 'P' ? xt_ask : xt_ask_guest;
        data++;
        size--;
    }
    char *text = inbuf + INPUT_MAX - size;   /* the input's last byte meets the guard */
    memcpy(text, data, size);
    restore();
    struct itimerval budget = { { budget_us / 1000000, budget_us % 1000000 },
                                { budget_us / 1000000, budget_us % 1000000 } };
    struct itimerval off = { { 0, 0 }, { 0, 0 } };
    fires = 0;
    running = 1;
    setitimer(budget_timer, &budget, NULL);
    fz_run(text, size, xt);
    setitimer(budget_timer, &off, NULL);
    running = 0;
    n_inputs++;
    const uint64_t *c = (const uint64_t *)fz_cov;
    for (unsigned i = 0; i < sizeof ever / 8; i++)
        ever[i] |= c[i];
    check();
    return 0;
}
