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

static int
value_of (char c)
{
  if (c >= 'A' && c <= 'Z')
    return c - 'A';
  if (c >= 'a' && c <= 'z')
    return c - 'a' + 26;
  if (c >= '0' && c <= '9')
    return c - '0' + 52;
  if (c == '-')
    return 62;
  if (c == '_')
    return 63;
  return -1;
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

  for (i = 0; i < length; i++)
    if (value_of (text[i]) < 0)
      {
        set_bad_character (error, text[i], i);
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

  out = g_malloc (length / 4 * 3 + 3);
  for (i = 0; i < length; i++)
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
