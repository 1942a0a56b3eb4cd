; calls.asm - entry points of the five calls, vectors 0x30-0x34 (DPL 3).
;
; call_table[i] is the gate target of vector T_CALL0 + i, in the order
; read, write, send, receive, please (docs/contracts.md). Until the call
; layer exists each entry is call_fail: the call fails (eax = 0, the
; "success" result is 0) and returns at once.

%include "asmdefs.inc"

section .text
global call_fail
call_fail:
	xor eax, eax
	iretd

section .rodata
align 4
global call_table
call_table:
	dd call_fail			; 0x30 read
	dd call_fail			; 0x31 write
	dd call_fail			; 0x32 send
	dd call_fail			; 0x33 receive
	dd call_fail			; 0x34 please
call_table_end:

%if (call_table_end - call_table) / 4 != NCALLS
%error "call_table needs one entry per call"
%endif
