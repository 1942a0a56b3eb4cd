; h3sm_image.asm - the H3sm image (build/h3sm-kernel.bin, made by mk/h3sm.mk from
; h3sm/core.asm) carried in the kernel; kernel/proc.c copies it into every H3sm
; instance's segment at IMAGE_ORG.
section .rodata
align 16
global h3sm_image, h3sm_image_end
h3sm_image:
	incbin "build/h3sm-kernel.bin"
h3sm_image_end:
