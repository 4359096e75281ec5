/* jws-helper.c - signs and verifies compact JWS from the command line, for
 * the interoperability test with an independent JOSE implementation
 * (tests/jose-interop.py)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   jws-helper sign KEY.pem TYP PAYLOAD-FILE   prints the compact JWS
 *   jws-helper verify KEY JWS-FILE             prints the payload
 *
 * KEY is a PEM or JWK file. On failure, the error code's name and the
 * message go to standard error and the exit status is 1.
 */

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "dlg-core.h"

static const char *
code_name (const GError *error)
{
  static const char * const jws_codes[] = {
    "MALFORMED", "UNSUPPORTED_ALGORITHM", "UNSUPPORTED_CRITICAL",
    "BAD_SIGNATURE", "KEY_MISMATCH", "TOO_LARGE",
  };

  if (error->domain == DLG_JWS_ERROR && error->code >= 0 && error->code < (int) G_N_ELEMENTS (jws_codes))
    return jws_codes[error->code];
  if (error->domain == DLG_KEY_ERROR)
    return "KEY";
  return "IO";
}

static int
fail (const GError *error)
{
  fprintf (stderr, "%s: %s\n", code_name (error), error->message);
  return 1;
}

static DlgKey *
load_key (const char  *path,
          GError     **error)
{
  g_autoptr(GBytes) bytes = dlg_file_read (path, DLG_KEY_MAX_FILE_SIZE, error);

  if (bytes == NULL)
    return NULL;
  return dlg_key_new_from_data (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), error);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DlgKey) key = NULL;

  if (argc == 5 && strcmp (argv[1], "sign") == 0)
    {
      g_autoptr(GBytes) payload = NULL;
      g_autofree char *compact = NULL;

      if (!(key = load_key (argv[2], &error)) ||
          !(payload = dlg_file_read (argv[4], DLG_JWS_MAX_SIZE, &error)) ||
          !(compact = dlg_jws_sign (key, argv[3], payload, &error)))
        return fail (error);
      fputs (compact, stdout);
      return 0;
    }

  if (argc == 4 && strcmp (argv[1], "verify") == 0)
    {
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(DlgJws) jws = NULL;
      GBytes *payload;

      if (!(key = load_key (argv[2], &error)) ||
          !(bytes = dlg_file_read (argv[3], DLG_JWS_MAX_SIZE + 1, &error)) ||
          !(jws = dlg_jws_parse (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error)) ||
          !dlg_jws_verify (jws, key, &error))
        return fail (error);
      payload = dlg_jws_get_payload (jws);
      fwrite (g_bytes_get_data (payload, NULL), 1, g_bytes_get_size (payload), stdout);
      return 0;
    }

  fprintf (stderr, "Usage: jws-helper sign KEY.pem TYP PAYLOAD-FILE | verify KEY JWS-FILE\n");
  return 2;
}
