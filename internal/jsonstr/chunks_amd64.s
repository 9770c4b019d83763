//go:build amd64 && !purego

#include "textflag.h"

// BROADCAST fills every byte of the vector register X with the byte of
// the 64-bit constant WORD, which repeats it.
#define BROADCAST(WORD, X) \
	MOVQ WORD, AX; \
	MOVQ AX, X; \
	PUNPCKLQDQ X, X

// CHUNK_OTHER loads the next sixteen bytes of SI into X0 and sets AX to
// the mask of those that are control bytes or from 0x80 up: a signed
// compare puts both below X12's 0x20.
#define CHUNK_OTHER \
	MOVOU (SI), X0; \
	MOVO X12, X3; \
	PCMPGTB X0, X3; \
	PMOVMSKB X3, AX

// MASK_OF sets R to the mask of the bytes of X0 equal to those of XC.
#define MASK_OF(XC, R) \
	MOVO X0, X1; \
	PCMPEQB XC, X1; \
	PMOVMSKB X1, R

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

// UNESCAPE_HALF writes the low eight bytes of X0 without the lanes whose
// bit is set in the 8-bit MASK register, and moves DI past them.
#define UNESCAPE_HALF(MASK) \
	MOVQ (R10)(MASK*8), X6; \
	MOVO X0, X5; \
	PSHUFB X6, X5; \
	MOVQ X5, (DI); \
	MOVBQZX (R11)(MASK*1), DX; \
	ADDQ DX, DI

// ARGS loads both functions' arguments: DI and R12 the output and its
// length, SI and CX the input and its length, R8 the output's start. It
// jumps to DONE at once without SSSE3.
#define ARGS(DONE) \
	MOVQ dst_base+0(FP), DI; \
	MOVQ dst_len+8(FP), R12; \
	MOVQ src_base+24(FP), SI; \
	MOVQ src_len+32(FP), CX; \
	MOVQ DI, R8; \
	CMPB ·hasSSSE3(SB), $0; \
	JEQ  DONE

// COPY_CHUNK stores X0, a chunk that needs no change, and goes on to LOOP.
#define COPY_CHUNK(LOOP) \
	MOVOU X0, (DI); \
	ADDQ $16, SI; \
	ADDQ $16, DI; \
	SUBQ $16, CX; \
	JMP  LOOP

// RESULTS returns how much was read and written, into READ and WRITTEN.
#define RESULTS(READ, WRITTEN) \
	MOVQ src_len+32(FP), SI; \
	SUBQ CX, SI; \
	SUBQ R8, DI; \
	MOVQ SI, READ; \
	MOVQ DI, WRITTEN; \
	RET

// func EscapeChunks(dst []byte, src string) (read, written int)
//
// Per chunk: CHUNK_OTHER and a compare for DEL; any of them ends the loop.
// Then the masks of quotes and backslashes: a chunk without them is stored
// as is; otherwise each half is shuffled with a backslash before each of
// them, by the control escShuffle holds for its mask, and the output
// advances by escLen.
TEXT ·EscapeChunks(SB), NOSPLIT, $0-56
	ARGS(escDone)
	// R12: the last output position with room for a whole chunk's widest
	// result, 32 bytes, as the stores write it.
	LEAQ -32(DI)(R12*1), R12
	LEAQ ·escShuffle(SB), R10
	LEAQ ·escLen(SB), R11
	BROADCAST($0x2222222222222222, X10)
	BROADCAST($0x5c5c5c5c5c5c5c5c, X11)
	BROADCAST($0x2020202020202020, X12)
	BROADCAST($0x7f7f7f7f7f7f7f7f, X13)

escLoop:
	CMPQ CX, $16
	JLT  escDone
	CMPQ DI, R12
	JGT  escDone
	CHUNK_OTHER
	MASK_OF(X13, BX)
	ORL  BX, AX
	JNE  escDone
	MASK_OF(X10, AX)
	MASK_OF(X11, BX)
	ORL  BX, AX
	JNE  escQuotes
	COPY_CHUNK(escLoop)

escQuotes:
	MOVBQZX AL, BX
	SHRL $8, AX
	ESCAPE_HALF(PUNPCKLQDQ, BX)
	ESCAPE_HALF(PUNPCKHQDQ, AX)
	ADDQ $16, SI
	SUBQ $16, CX
	JMP  escLoop

escDone:
	RESULTS(read+40(FP), written+48(FP))

// func UnescapeChunks(dst, src []byte) (read, written int)
//
// Per chunk: CHUNK_OTHER ends the loop at a control byte or non-ASCII. A
// chunk without backslashes is stored as is, unless it holds a quote (the
// string's end). Otherwise the masks of backslashes B, quotes Q and
// slashes S must show only \" and \/ escapes: B<<1 within Q|S, B clear of
// B<<1, Q within B<<1. Each half is then stored without its backslashes.
// A backslash in lane 15 starts an escape the next chunk holds: it is
// left out, and the next chunk starts with it.
TEXT ·UnescapeChunks(SB), NOSPLIT, $0-64
	ARGS(unescDone)
	// R12: the last output position with room for the 16 bytes a chunk's
	// stores may write.
	LEAQ -16(DI)(R12*1), R12
	LEAQ ·unescShuffle(SB), R10
	LEAQ ·unescLen(SB), R11
	BROADCAST($0x2222222222222222, X10)
	BROADCAST($0x5c5c5c5c5c5c5c5c, X11)
	BROADCAST($0x2020202020202020, X12)
	BROADCAST($0x2f2f2f2f2f2f2f2f, X13)

unescLoop:
	CMPQ CX, $16
	JLT  unescDone
	CMPQ DI, R12
	JGT  unescDone
	CHUNK_OTHER
	TESTL AX, AX
	JNE  unescDone
	MASK_OF(X11, BX)
	MASK_OF(X10, DX)
	TESTL BX, BX
	JNE  unescEscapes
	TESTL DX, DX
	JNE  unescDone
	COPY_CHUNK(unescLoop)

unescEscapes:
	// R9: how many bytes the chunk decodes, all but a last backslash.
	MOVQ $16, R9
	TESTL $0x8000, BX
	JEQ  unescWhole
	MOVQ $15, R9

unescWhole:
	MOVL BX, R13
	SHLL $1, R13
	ANDL $0xffff, R13
	TESTL R13, BX
	JNE  unescDone
	MASK_OF(X13, AX)
	ORL  DX, AX
	NOTL AX
	TESTL AX, R13
	JNE  unescDone
	NOTL R13
	TESTL R13, DX
	JNE  unescDone
	MOVBQZX BL, AX
	SHRL $8, BX
	UNESCAPE_HALF(AX)
	PSRLDQ $8, X0
	UNESCAPE_HALF(BX)
	ADDQ R9, SI
	SUBQ R9, CX
	JMP  unescLoop

unescDone:
	RESULTS(read+48(FP), written+56(FP))
