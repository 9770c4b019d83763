//go:build amd64 && !purego

#include "textflag.h"

// ESCAPE_HALF writes one half of the chunk in X0, bytes 0-7 with UNPACK
// PUNPCKLQDQ or 8-15 with PUNPCKHQDQ, with a backslash (lane 8, from X11)
// before each byte whose bit is set in the 8-bit MASK register, and moves
// DI past it.
#define ESCAPE_HALF(UNPACK, MASK) \
	MOVQ MASK, DX; \
	SHLQ $4, DX; \
	MOVOU (R10)(DX*1), X6; \
	MOVO X0, X5; \
	UNPACK X11, X5; \
	PSHUFB X6, X5; \
	MOVOU X5, (DI); \
	MOVBQZX (R11)(MASK*1), DX; \
	ADDQ DX, DI

// func escapeChunks(dst []byte, src string) (read, written int)
//
// Per sixteen-byte chunk: one compare finds control bytes and bytes from
// 0x80 up (signed, both are below 0x20), one DEL; any of them ends the
// loop. Two more find quotes and backslashes. A chunk without them is
// stored as is; otherwise each eight-byte half is shuffled, with a
// backslash inserted before each of them, by the control escShuffle holds
// for its mask, and the output advances by escLen.
TEXT ·escapeChunks(SB), NOSPLIT, $0-56
	MOVQ dst_base+0(FP), DI
	MOVQ dst_len+8(FP), R12
	MOVQ src_base+24(FP), SI
	MOVQ src_len+32(FP), CX
	MOVQ DI, R8
	MOVQ SI, R9
	// R12: the last output position with room for a whole chunk's widest
	// result, 32 bytes, as the stores write it.
	LEAQ -32(DI)(R12*1), R12
	LEAQ ·escShuffle(SB), R10
	LEAQ ·escLen(SB), R11

	MOVQ $0x2222222222222222, AX
	MOVQ AX, X10
	PUNPCKLQDQ X10, X10
	MOVQ $0x5c5c5c5c5c5c5c5c, AX
	MOVQ AX, X11
	PUNPCKLQDQ X11, X11
	MOVQ $0x2020202020202020, AX
	MOVQ AX, X12
	PUNPCKLQDQ X12, X12
	MOVQ $0x7f7f7f7f7f7f7f7f, AX
	MOVQ AX, X13
	PUNPCKLQDQ X13, X13

loop:
	CMPQ CX, $16
	JLT  done
	CMPQ DI, R12
	JGT  done
	MOVOU (SI), X0
	MOVO X12, X3
	PCMPGTB X0, X3
	MOVO X0, X4
	PCMPEQB X13, X4
	POR X4, X3
	PMOVMSKB X3, AX
	TESTL AX, AX
	JNE  done
	MOVO X0, X1
	PCMPEQB X10, X1
	MOVO X0, X2
	PCMPEQB X11, X2
	POR X2, X1
	PMOVMSKB X1, AX
	TESTL AX, AX
	JNE  quotes
	MOVOU X0, (DI)
	ADDQ $16, SI
	ADDQ $16, DI
	SUBQ $16, CX
	JMP  loop

quotes:
	MOVBQZX AL, BX
	SHRL $8, AX
	ESCAPE_HALF(PUNPCKLQDQ, BX)
	ESCAPE_HALF(PUNPCKHQDQ, AX)
	ADDQ $16, SI
	SUBQ $16, CX
	JMP  loop

done:
	SUBQ R9, SI
	SUBQ R8, DI
	MOVQ SI, read+40(FP)
	MOVQ DI, written+48(FP)
	RET
