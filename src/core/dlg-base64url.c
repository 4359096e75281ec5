/* dlg-base64url.c - base64url without padding (RFC 4648 §5, RFC 7515 §2)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The decoder is strict on purpose. Signed documents must have exactly one
 * spelling: a decoder that skipped whitespace, accepted padding or the "+"
 * and "/" of plain base64, or ignored the unused bits of the last character,
 * would let several different byte strings stand for the same signed
 * content, and a changed byte could then go unnoticed.
 */

#define G_LOG_DOMAIN "dlg-base64url"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "dlg-base64url.h"

static const char alphabet[] =
  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/**
 * dlg_base64url_encode:
 * @data: (array length=length): bytes
 * @length: how many
 *
 * Returns: (transfer full): @data in base64url, without padding
 */
char *
dlg_base64url_encode (const guint8 *data,
                      gsize         length)
{
  char *out = g_malloc ((length + 2) / 3 * 4 + 1);
  char *p = out;
  gsize i;

  for (i = 0; i + 3 <= length; i += 3)
    {
      guint32 v = ((guint32) data[i] << 16) | ((guint32) data[i + 1] << 8) | data[i + 2];

      *p++ = alphabet[(v >> 18) & 63];
      *p++ = alphabet[(v >> 12) & 63];
      *p++ = alphabet[(v >> 6) & 63];
      *p++ = alphabet[v & 63];
    }

  if (length - i == 1)
    {
      guint32 v = (guint32) data[i] << 16;

      *p++ = alphabet[(v >> 18) & 63];
      *p++ = alphabet[(v >> 12) & 63];
    }
  else if (length - i == 2)
    {
      guint32 v = ((guint32) data[i] << 16) | ((guint32) data[i + 1] << 8);

      *p++ = alphabet[(v >> 18) & 63];
      *p++ = alphabet[(v >> 12) & 63];
      *p++ = alphabet[(v >> 6) & 63];
    }

  *p = '\0';
  return out;
}

/* The value of each byte as a base64url digit, or BAD. A table rather
 * than comparisons: reports are tens of kilobytes, decoded on every
 * submission the server receives. */
#define BAD 0xff
static const guint8 digit_value[256] = {
  BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD,
  BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD,
  BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD,  62, BAD, BAD,
   52,  53,  54,  55,  56,  57,  58,  59,  60,  61, BAD, BAD, BAD, BAD, BAD, BAD,
  BAD,   0,   1,   2,   3,   4,   5,   6,   7,   8,   9,  10,  11,  12,  13,  14,
   15,  16,  17,  18,  19,  20,  21,  22,  23,  24,  25, BAD, BAD, BAD, BAD,  63,
  BAD,  26,  27,  28,  29,  30,  31,  32,  33,  34,  35,  36,  37,  38,  39,  40,
   41,  42,  43,  44,  45,  46,  47,  48,  49,  50,  51, BAD, BAD, BAD, BAD, BAD,
  BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD,
  BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD,
  BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD,
  BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD,
  BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD,
  BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD,
  BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD,
  BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD,
};
#undef BAD

static int
value_of (char c)
{
  guint8 v = digit_value[(guchar) c];

  return v == 0xff ? -1 : v;
}

static void
set_bad_character (GError     **error,
                   char         c,
                   gsize        position)
{
  guchar u = (guchar) c;

  if (c == '=')
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                 _("it has “=” padding at position %u, which base64url in signatures leaves out"),
                 (guint) MIN (position + 1, G_MAXUINT));
  else if (c == '+' || c == '/')
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                 _("it has “%c” at position %u, a character of plain base64, not base64url"),
                 c, (guint) MIN (position + 1, G_MAXUINT));
  else if (g_ascii_isspace (c))
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                 _("it has white space at position %u"), (guint) MIN (position + 1, G_MAXUINT));
  else if (u >= 0x21 && u < 0x7f)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                 _("it has “%c” at position %u, which is not a base64url character"),
                 c, (guint) MIN (position + 1, G_MAXUINT));
  else
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                 _("it has the byte 0x%02x at position %u, which is not a base64url character"),
                 u, (guint) MIN (position + 1, G_MAXUINT));
}

/**
 * dlg_base64url_decode:
 * @text: (array length=length): base64url text, not necessarily nul-terminated
 * @length: its length in bytes
 * @error: a #GError, in %G_IO_ERROR with %G_IO_ERROR_INVALID_DATA
 *
 * Decodes the one canonical spelling of some bytes: only the 64 base64url
 * characters, no padding, no white space, a length that encodes whole
 * bytes, and zero bits after the last byte. The error message is a clause
 * ("it has …") for the caller to put after what it was decoding.
 *
 * Returns: (transfer full): the bytes, or %NULL with @error set
 */
GBytes *
dlg_base64url_decode (const char  *text,
                      gsize        length,
                      GError     **error)
{
  g_autofree guint8 *out = NULL;
  gsize n = 0;
  gsize i;
  guint32 acc = 0;
  int bits = 0;
  int last = 0;

  g_return_val_if_fail (text != NULL || length == 0, NULL);

  out = g_malloc (length / 4 * 3 + 3);

  /* Four digits make three bytes. One pass: a digit's value and whether it
   * is a digit come from the same lookup (non-digits have the high bit). */
  for (i = 0; i + 4 <= length; i += 4)
    {
      guint8 a = digit_value[(guchar) text[i]];
      guint8 b = digit_value[(guchar) text[i + 1]];
      guint8 c = digit_value[(guchar) text[i + 2]];
      guint8 d = digit_value[(guchar) text[i + 3]];
      guint32 v;

      if (G_UNLIKELY ((a | b | c | d) & 0x80))
        {
          while (digit_value[(guchar) text[i]] != 0xff)
            i++;
          set_bad_character (error, text[i], i);
          return NULL;
        }

      v = ((guint32) a << 18) | ((guint32) b << 12) | ((guint32) c << 6) | d;
      out[n++] = v >> 16;
      out[n++] = (v >> 8) & 0xff;
      out[n++] = v & 0xff;
    }

  /* The last one, two or three characters. */
  for (gsize j = i; j < length; j++)
    if (G_UNLIKELY (digit_value[(guchar) text[j]] == 0xff))
      {
        set_bad_character (error, text[j], j);
        return NULL;
      }

  /* One character alone carries 6 bits: not even one byte. */
  if (length % 4 == 1)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   g_dngettext (GETTEXT_PACKAGE,
                                "its length (%u character) cannot be the encoding of whole bytes",
                                "its length (%u characters) cannot be the encoding of whole bytes",
                                length),
                   (guint) MIN (length, G_MAXUINT));
      return NULL;
    }

  for (; i < length; i++)
    {
      last = value_of (text[i]);
      acc = (acc << 6) | (guint32) last;
      bits += 6;
      if (bits >= 8)
        {
          bits -= 8;
          out[n++] = (acc >> bits) & 0xff;
        }
    }

  /* The bits left over after the last whole byte must be zero; otherwise
   * another text would decode to the same bytes. */
  if (bits > 0 && (last & ((1 << bits) - 1)) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("its last character “%c” sets bits that encode no byte (not the canonical spelling)"),
                   text[length - 1]);
      return NULL;
    }

  return g_bytes_new_take (g_steal_pointer (&out), n);
}
