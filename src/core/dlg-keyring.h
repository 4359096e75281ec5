/* dlg-keyring.h - where our organisation's signing keys are kept
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "dlg-key.h"

G_BEGIN_DECLS

#define DLG_KEYRING_FORMAT "diligence-keys/1"
#define DLG_KEYRING_SCHEMA_NAME "io.github.diligence.Diligence.Key"

#define DLG_KEYRING_ERROR (dlg_keyring_error_quark ())

typedef enum
{
  DLG_KEYRING_ERROR_NOT_FOUND,     /* no key made yet (dlg_keyring_load_async()) */
  DLG_KEYRING_ERROR_MISSING,       /* keys.json names a key whose private half is gone */
  DLG_KEYRING_ERROR_LOCKED,        /* the keyring stayed locked (unlock refused or dismissed) */
  DLG_KEYRING_ERROR_UNAVAILABLE,   /* the keyring that holds the key cannot be reached */
  DLG_KEYRING_ERROR_CORRUPT,       /* keys.json or a key file is damaged; left untouched */
  DLG_KEYRING_ERROR_WRITE,         /* saving failed; the previous key is still current */
} DlgKeyringError;

typedef enum
{
  DLG_KEYRING_STORAGE_NONE,            /* nothing loaded yet */
  DLG_KEYRING_STORAGE_SECRET_SERVICE,  /* the desktop keyring, through libsecret */
  DLG_KEYRING_STORAGE_FILE,            /* a PKCS#8 file, mode 0600, in the keys folder */
} DlgKeyringStorage;

typedef enum
{
  DLG_KEYRING_FLAGS_NONE      = 0,
  /* Never use the Secret Service: keep private keys in 0600 files. For
   * tests, and for people who do not want a keyring involved. */
  DLG_KEYRING_FLAGS_FILE_ONLY = 1 << 0,
} DlgKeyringFlags;

/* One of our own keys, current or retired. */
typedef struct
{
  DlgKey            *key;        /* the public key */
  gboolean           current;
  DlgKeyringStorage  storage;    /* where the private key is; NONE once retired */
  GDateTime         *created;
  GDateTime         *retired;    /* NULL for the current key */
} DlgKeyringEntry;

void dlg_keyring_entry_free (DlgKeyringEntry *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DlgKeyringEntry, dlg_keyring_entry_free)

#define DLG_TYPE_KEYRING (dlg_keyring_get_type ())

G_DECLARE_FINAL_TYPE (DlgKeyring, dlg_keyring, DLG, KEYRING, GObject)

GQuark             dlg_keyring_error_quark           (void);

char              *dlg_keyring_get_default_directory (void);
DlgKeyring        *dlg_keyring_new                   (const char           *directory,
                                                      DlgKeyringFlags       flags);
const char        *dlg_keyring_get_directory         (DlgKeyring           *self);

void               dlg_keyring_load_async            (DlgKeyring           *self,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
DlgKey            *dlg_keyring_load_finish           (DlgKeyring           *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);
void               dlg_keyring_load_or_create_async  (DlgKeyring           *self,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
DlgKey            *dlg_keyring_load_or_create_finish (DlgKeyring           *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);
void               dlg_keyring_rotate_async          (DlgKeyring           *self,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
DlgKey            *dlg_keyring_rotate_finish         (DlgKeyring           *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);

DlgKey            *dlg_keyring_get_current           (DlgKeyring           *self);
DlgKeyringStorage  dlg_keyring_get_storage           (DlgKeyring           *self);
const char        *dlg_keyring_get_fallback_reason   (DlgKeyring           *self);
char              *dlg_keyring_get_key_file          (DlgKeyring           *self);
GPtrArray         *dlg_keyring_list_keys             (DlgKeyring           *self);
DlgKey            *dlg_keyring_lookup_public         (DlgKeyring           *self,
                                                      const char           *key_id);

G_END_DECLS
