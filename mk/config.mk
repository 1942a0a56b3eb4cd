# Tools and flags shared by every fragment.
B        := build
CC       := gcc
NASM     := nasm
LD       := ld
PYTHON   := /usr/bin/python3
QEMU     := qemu-system-i386
CFLAGS   := -m32 -march=i386 -ffreestanding -nostdlib -fno-pie -fno-pic \
            -fno-stack-protector -fno-builtin -fno-asynchronous-unwind-tables \
            -mno-sse -mno-mmx -mno-80387 -O2 -Wall -Wextra -Werror -std=gnu11 \
            -Iinclude -I$(B)/gen
NASMFLAGS := -f elf32 -Iasm/ -I$(B)/gen/
LDFLAGS  := -m elf_i386 -nostdlib
