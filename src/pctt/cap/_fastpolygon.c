/* Optional compiled twin of pctt.cap.geometry.polygon_is_plainly_valid: the same contract.
 *
 * plainly_valid(text) answers True only for a text that the exact check in geometry.py accepts
 * (`_check_characters(text); _checked_coordinates(text)` raise nothing), and False for "don't
 * know": the exact check then decides and says why. True is given to polygons as senders
 * normally write them: optional blanks around, `lat,lon` pairs separated by exactly one blank
 * (space, tab, LF, CR), each number [+-]digits[.digits], at least 4 pairs, the last pair the
 * same text as the first, and each integer part plainly in range (a latitude at most two digits,
 * the first 0..8 if two; a longitude at most three, 1[0-7]d if three), whatever the fraction.
 *
 * A 41k-vertex polygon is 880 KB, so this works like simdjson rather than byte by byte: each
 * 64-byte block becomes 64-bit masks of character classes (SSE2 compares and movemask), and
 * every rule is a few bitwise operations on those masks. Rules look only backwards ("byte i-1
 * was a digit" is the digit mask shifted up, with the previous block's top bit shifted in), so
 * each block needs only the previous block's masks. The tail (< 64 bytes) is copied into a
 * padded stack buffer: nothing is read outside the text, nothing is allocated.
 *
 * Without SSE2 (another architecture) the same masks are built by a plain loop; speed does not
 * matter there. Define PCTT_FASTPOLYGON_SCALAR to build that version on x86 too (tests).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

#if defined(__SSE2__) && !defined(PCTT_FASTPOLYGON_SCALAR)
#include <emmintrin.h>
#define USE_SSE2 1
#else
#define USE_SSE2 0
#endif

#define BLOCK 64

/* The per-block steps must be inlined into the loop, so that the masks stay in registers. */
#if defined(__GNUC__)
#define STEP static inline __attribute__((always_inline))
#else
#define STEP static inline
#endif

/* The classes of the bytes of one block, bit i for byte i. Two classes are deliberately loose
 * (one compare builds each); the bytes that make them loose are refused at the end from the
 * smallest and largest byte of the text (struct extremes). */
struct classes {
    uint64_t digit; /* '0'..'9', and any byte above '9' */
    uint64_t nine;  /* '9', and any byte above it */
    uint64_t blank; /* space, tab, LF, CR, and any other byte below space */
    uint64_t comma, dot, sign; /* ',' '.' and '+' or '-' */
    uint64_t other; /* the rest: '!'..'*' and '/' */
};

static inline int is_blank(unsigned char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}
static inline int is_digit(unsigned char c) { return c >= '0' && c <= '9'; }

/* --- building the masks ------------------------------------------------------------------- */

#if USE_SSE2

struct extremes {
    __m128i lowest, highest;
};

static inline struct extremes extremes_start(void) {
    struct extremes e = {_mm_set1_epi8((char)0xFF), _mm_setzero_si128()};
    return e;
}

static inline unsigned char horizontal(__m128i v, int largest) {
    unsigned char bytes[16];
    _mm_storeu_si128((__m128i *)bytes, v);
    unsigned char result = bytes[0];
    for (int i = 1; i < 16; i++) {
        if (largest ? bytes[i] > result : bytes[i] < result) result = bytes[i];
    }
    return result;
}

static unsigned char extremes_lowest(struct extremes e) { return horizontal(e.lowest, 0); }
static unsigned char extremes_highest(struct extremes e) { return horizontal(e.highest, 1); }

/* The 64 bits of the byte masks (0x00 or 0xFF per byte) of the four lanes of a block. */
STEP uint64_t mask64(__m128i m0, __m128i m1, __m128i m2, __m128i m3) {
    return (uint64_t)(unsigned)_mm_movemask_epi8(m0) |
           (uint64_t)(unsigned)_mm_movemask_epi8(m1) << 16 |
           (uint64_t)(unsigned)_mm_movemask_epi8(m2) << 32 |
           (uint64_t)(unsigned)_mm_movemask_epi8(m3) << 48;
}

STEP __m128i load(const unsigned char *at) { return _mm_loadu_si128((const __m128i *)at); }
STEP __m128i greater(__m128i x, char c) { return _mm_cmpgt_epi8(x, _mm_set1_epi8(c)); }
STEP __m128i less(__m128i x, char c) { return _mm_cmpgt_epi8(_mm_set1_epi8(c), x); }
STEP __m128i equal(__m128i x, char c) { return _mm_cmpeq_epi8(x, _mm_set1_epi8(c)); }

/* movemask (16 bits at a time) is the costliest step, so rather than one mask per class, three
 * masks ("planes") give each byte a 3-bit code that tells the classes apart:
 *
 *   byte               ' ' and below  '+' '-'  ','  '.'  '0'..'8'  '9' and above  '!'..'*' '/'
 *   marks                    0           1      1    1      0           0              0
 *   comma_or_digit           0           0      1    0      1           1              0
 *   blank_dot_or_nine        1           0      0    1      0           1              0
 *
 * The text is ASCII (0..127), so signed byte compares order it correctly. */
STEP __m128i marks(__m128i x) { return _mm_xor_si128(greater(x, '+' - 1), greater(x, '.')); }
STEP __m128i comma_or_digit(__m128i x) { return _mm_or_si128(equal(x, ','), greater(x, '/')); }
STEP __m128i blank_dot_or_nine(__m128i x) {
    return _mm_or_si128(_mm_or_si128(less(x, ' ' + 1), equal(x, '.')), greater(x, '8'));
}

STEP struct classes classify(const unsigned char *block, struct extremes *e) {
    const __m128i x0 = load(block), x1 = load(block + 16), x2 = load(block + 32),
                  x3 = load(block + 48);
    const __m128i lowest = _mm_min_epu8(_mm_min_epu8(x0, x1), _mm_min_epu8(x2, x3));
    const __m128i highest = _mm_max_epu8(_mm_max_epu8(x0, x1), _mm_max_epu8(x2, x3));
    e->lowest = _mm_min_epu8(e->lowest, lowest);
    e->highest = _mm_max_epu8(e->highest, highest);
    const uint64_t m = mask64(marks(x0), marks(x1), marks(x2), marks(x3));
    const uint64_t d = mask64(comma_or_digit(x0), comma_or_digit(x1), comma_or_digit(x2),
                              comma_or_digit(x3));
    const uint64_t n = mask64(blank_dot_or_nine(x0), blank_dot_or_nine(x1),
                              blank_dot_or_nine(x2), blank_dot_or_nine(x3));
    struct classes c;
    c.digit = d & ~m;
    c.nine = d & n;
    c.blank = n & ~(m | d);
    c.comma = m & d;
    c.dot = m & n;
    c.sign = m & ~(d | n);
    c.other = ~(m | d | n);
    return c;
}

#else /* the same masks, one byte at a time */

struct extremes {
    unsigned char lowest, highest;
};

static inline struct extremes extremes_start(void) {
    struct extremes e = {0xFF, 0};
    return e;
}

static unsigned char extremes_lowest(struct extremes e) { return e.lowest; }
static unsigned char extremes_highest(struct extremes e) { return e.highest; }

STEP struct classes classify(const unsigned char *block, struct extremes *e) {
    struct classes c = {0, 0, 0, 0, 0, 0, 0};
    for (int i = 0; i < BLOCK; i++) {
        const unsigned char x = block[i];
        const uint64_t bit = (uint64_t)1 << i;
        if (x >= '0') c.digit |= bit;
        if (x <= ' ') c.blank |= bit;
        if (x == ',') c.comma |= bit;
        if (x == '.') c.dot |= bit;
        if (x == '+' || x == '-') c.sign |= bit;
        if (x > '8') c.nine |= bit;
        if ((x > ' ' && x < '+') || x == '/') c.other |= bit;
        if (x < e->lowest) e->lowest = x;
        if (x > e->highest) e->highest = x;
    }
    return c;
}

#endif

/* --- the rules, on masks ------------------------------------------------------------------ */

/* What the previous block leaves to the next: its masks (their top bits are the bytes just
 * before this block), the parity of delimiters so far, and the carry of the fraction adder. */
struct scan {
    uint64_t digit, delimiter, dot, integer, nine;
    uint64_t parity; /* all ones after an odd number of delimiters, else 0 */
    uint64_t carry;  /* 0 or 1 */
    uint64_t errors; /* any bit: not plainly valid */
};

/* `bits` moved k bytes later: bit i says whether byte i - k was set, from the previous block
 * when i < k. */
STEP uint64_t before(uint64_t bits, uint64_t previous, int k) {
    return (bits << k) | (previous >> (BLOCK - k));
}

/* Bit i: the parity of the set bits 0..i (cumulative XOR). */
STEP uint64_t prefix_xor(uint64_t x) {
    x ^= x << 1;
    x ^= x << 2;
    x ^= x << 4;
    x ^= x << 8;
    x ^= x << 16;
    x ^= x << 32;
    return x;
}

STEP uint64_t add_with_carry(uint64_t a, uint64_t b, uint64_t *carry) {
    const uint64_t partial = a + b;
    const uint64_t sum = partial + *carry;
    *carry = (partial < a) | (sum < partial);
    return sum;
}

/* Shapes: every number is [+-]digits[.digits], one delimiter between numbers. Looking only
 * backwards: a sign follows a delimiter (or the start), a dot or delimiter follows a digit.
 * That is enough: what follows a sign or dot is then a digit (a sign, dot or delimiter there
 * would follow no digit, a second sign no delimiter), and the last byte is checked to be a
 * digit before the scan. */
STEP uint64_t shape_errors(const struct scan *s, const struct classes *c, uint64_t delimiter) {
    const uint64_t after_digit = before(c->digit, s->digit, 1);
    const uint64_t after_delimiter = before(delimiter, s->delimiter, 1);
    return (c->sign & ~after_delimiter) | ((c->dot | delimiter) & ~after_digit);
}

/* Ranges from the integer parts (`integer`: their digits; `longitude`: the bytes of
 * longitudes): a latitude d or [0-8]d, a longitude d, dd or 1[0-7]d. Three-digit longitudes are
 * read from the text (`text`: this block's start in it): masks for '1' and '8'/'9' slowed every
 * block by 40% (41k-vertex polygon), these reads cost 50% only where every longitude has three
 * digits. In bounds: a byte labelled a longitude has an odd number of delimiters before it, so
 * the byte before the first digit of its integer part (unit[-3] from the third) is in the text
 * too, whatever else is wrong with it. */
STEP uint64_t range_errors(const struct scan *s, const struct classes *c, uint64_t integer,
                           uint64_t longitude, const unsigned char *text) {
    const uint64_t second = integer & before(integer, s->integer, 1);
    const uint64_t third = second & before(integer, s->integer, 2);
    const uint64_t nine_first = second & before(c->nine, s->nine, 1);
    uint64_t errors = (third | nine_first) & ~longitude; /* latitudes: not ddd or 9d */
    for (uint64_t units = third & longitude; units; units &= units - 1) {
        const unsigned char *unit = text + __builtin_ctzll(units);
        /* 1[0-7]d, and no fourth digit before it */
        errors |= (uint64_t)(unit[-2] != '1' || unit[-1] > '7' || is_digit(unit[-3]));
    }
    return errors;
}

/* `valid`: the bits that are bytes of the text (all but in the last block). */
STEP void scan_block(struct scan *s, struct classes c, uint64_t valid,
                     const unsigned char *text) {
    c.blank &= valid; /* the padding of the last block is blanks */
    const uint64_t delimiter = c.comma | c.blank;
    uint64_t errors = c.other | shape_errors(s, &c, delimiter);

    /* Delimiters alternate comma, blank, comma, …: the k-th (from 0) is a comma exactly when
     * the parity of delimiters up to and including it is odd. Between a comma and the next
     * blank (parity odd) are the longitudes. */
    const uint64_t parity = prefix_xor(delimiter) ^ s->parity;
    errors |= delimiter & (c.comma ^ parity);

    /* Adding 1 just after each dot carries through the fraction's digits and stops on the byte
     * after them: that byte must not be a second dot. The digits the carry did not clear are
     * the integer parts. */
    const uint64_t after_dot = before(c.dot, s->dot, 1);
    const uint64_t sum = add_with_carry(c.digit, after_dot, &s->carry);
    errors |= sum & c.dot;
    const uint64_t integer = c.digit & sum;
    errors |= range_errors(s, &c, integer, parity, text);

    s->errors |= errors;
    s->digit = c.digit;
    s->delimiter = delimiter;
    s->dot = c.dot;
    s->integer = integer;
    s->nine = c.nine;
    s->parity = (uint64_t)0 - (parity >> (BLOCK - 1));
}

/* --- the whole text ----------------------------------------------------------------------- */

/* Any byte below space other than tab, LF, CR (the blank mask let them all through). */
static int has_other_control(const unsigned char *text, Py_ssize_t size) {
    Py_ssize_t i = 0;
#if USE_SSE2
    __m128i bad = _mm_setzero_si128();
    for (; i + 16 <= size; i += 16) {
        const __m128i x = load(text + i);
        const __m128i tab_or_lf = _mm_or_si128(equal(x, '\t'), equal(x, '\n'));
        const __m128i blank = _mm_or_si128(tab_or_lf, equal(x, '\r'));
        bad = _mm_or_si128(bad, _mm_andnot_si128(blank, less(x, ' ')));
    }
    if (_mm_movemask_epi8(bad)) return 1;
#endif
    for (; i < size; i++) {
        if (text[i] < ' ' && !is_blank(text[i])) return 1;
    }
    return 0;
}

/* At least 4 pairs: once the delimiters alternate, the pairs are one more than the blanks. */
static int has_four_pairs(const unsigned char *text, Py_ssize_t size) {
    int blanks = 0;
    for (Py_ssize_t i = 0; i < size && blanks < 3; i++) blanks += text[i] <= ' ';
    return blanks == 3;
}

/* Closed: the first pair is the same text as the last (float equality is left to Python). The
 * text is valid pairs by now, so its blanks are the bytes up to space. */
static int first_pair_is_last(const unsigned char *text, Py_ssize_t size) {
    Py_ssize_t first_end = 0, last_start = size;
    while (first_end < size && text[first_end] > ' ') first_end++;
    while (last_start > 0 && text[last_start - 1] > ' ') last_start--;
    return first_end < last_start && first_end == size - last_start &&
           memcmp(text, text + last_start, (size_t)first_end) == 0;
}

static int is_plainly_valid(const unsigned char *text, Py_ssize_t size) {
    while (size > 0 && is_blank(text[0])) text++, size--;
    while (size > 0 && is_blank(text[size - 1])) size--;
    if (size == 0 || !is_digit(text[size - 1])) return 0; /* the last number ends in a digit */

    struct scan s;
    memset(&s, 0, sizeof s);
    /* The start acts as a delimiter before byte 0. */
    s.delimiter = (uint64_t)1 << (BLOCK - 1);
    struct extremes e = extremes_start();
    Py_ssize_t at = 0;
    for (; at + BLOCK <= size; at += BLOCK) {
        scan_block(&s, classify(text + at, &e), ~(uint64_t)0, text + at);
        if (s.errors) return 0;
    }
    if (at < size) {
        unsigned char tail[BLOCK];
        memset(tail, ' ', sizeof tail);
        memcpy(tail, text + at, (size_t)(size - at));
        const uint64_t valid = ((uint64_t)1 << (size - at)) - 1;
        scan_block(&s, classify(tail, &e), valid, text + at);
    }
    /* An odd number of delimiters: the last one a comma. (Like the digit at the end, closure
     * would imply it too: the first pair has a comma.) */
    if (s.errors || !s.parity) return 0;
    if (extremes_highest(e) > '9') return 0;
    if (extremes_lowest(e) < ' ' && has_other_control(text, size)) return 0;
    return has_four_pairs(text, size) && first_pair_is_last(text, size);
}

/* --- Python ------------------------------------------------------------------------------- */

static PyObject *plainly_valid(PyObject *module, PyObject *text) {
    (void)module;
    if (!PyUnicode_Check(text)) {
        PyErr_Format(PyExc_TypeError, "plainly_valid() argument must be str, not %.200s",
                     Py_TYPE(text)->tp_name);
        return NULL;
    }
    /* Compact ASCII: the characters are the bytes, read in place. Anything else (non-ASCII, or
     * a str subclass, which is not compact) is "don't know". */
    if (!PyUnicode_IS_COMPACT_ASCII(text)) Py_RETURN_FALSE;
    const unsigned char *bytes = PyUnicode_1BYTE_DATA(text);
    return PyBool_FromLong(is_plainly_valid(bytes, PyUnicode_GET_LENGTH(text)));
}

static PyMethodDef methods[] = {
    {"plainly_valid", plainly_valid, METH_O,
     "plainly_valid(text, /)\n--\n\n"
     "True only if text is a valid CAP polygon written plainly; False: don't know."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module_definition = {
    PyModuleDef_HEAD_INIT,
    "pctt.cap._fastpolygon",                                         /* m_name */
    "Compiled twin of pctt.cap.geometry.polygon_is_plainly_valid.", /* m_doc */
    0,                                                               /* m_size: no state */
    methods,                                                         /* m_methods */
    NULL,                                                            /* m_slots */
    NULL,                                                            /* m_traverse */
    NULL,                                                            /* m_clear */
    NULL,                                                            /* m_free */
};

PyMODINIT_FUNC PyInit__fastpolygon(void) { return PyModule_Create(&module_definition); }
