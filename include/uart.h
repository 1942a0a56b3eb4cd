/*
 * uart.h - the 16550 serial ports COM1-COM4 (drivers/uart16550.c),
 * numbered 0-3. Lines are 8N1 at UART_BAUD. Receive is interrupt
 * driven into a ring; transmit goes through a ring drained by the THRE
 * interrupt, or by polling whenever interrupts are off. Operations on
 * an absent port do nothing (uart_getc returns -1).
 */
#define NUART		4
#define UART_BAUD	115200

int	uart_present(int port);
int	uart_setbaud(int port, uint baud);	/* 115200 / n only; -1 otherwise */
void	uart_putc(int port, int c);	/* raw byte, no newline translation */
void	uart_write(int port, const uchar *buf, uint n);	/* LF as CR LF; queued, never dropped */
uint	uart_txroom(int port);		/* free bytes in the transmit ring */
int	uart_getc(int port);		/* next byte received, -1 if none */
int	uart_pending(int port);		/* bytes waiting to be read */
void	uart_poll(void);		/* service every port by hand (lost interrupts) */
void	uart_putc_polled(int port, int c);	/* for panic: no ring, no interrupts */
void	uart_flush_polled(int port);	/* send what the ring holds, polled */
extern uint uart_overruns[NUART];	/* overruns the chip reported: bytes lost */
extern uint uart_waited;		/* TSC ticks spent polling a line that could not take more */
