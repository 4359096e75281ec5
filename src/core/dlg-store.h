/* dlg-store.h - everything the user enters, kept durably in SQLite
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "dlg-action-plan.h"
#include "dlg-assessment.h"
#include "dlg-level.h"
#include "dlg-questionnaire.h"

G_BEGIN_DECLS

#define DLG_STORE_ERROR (dlg_store_error_quark ())

typedef enum
{
  DLG_STORE_ERROR_OPEN,
  DLG_STORE_ERROR_CORRUPT,
  DLG_STORE_ERROR_NEWER_SCHEMA,
  DLG_STORE_ERROR_FULL,
  DLG_STORE_ERROR_READ_ONLY,
  DLG_STORE_ERROR_NOT_FOUND,
  DLG_STORE_ERROR_FAILED,
  DLG_STORE_ERROR_MISSING,
} DlgStoreError;

typedef enum
{
  DLG_ROLE_SUPPLIER  = 1 << 0,
  DLG_ROLE_BUYER     = 1 << 1,
  DLG_ROLE_SIGNATORY = 1 << 2,
} DlgRoles;

typedef struct
{
  char     *name;
  char     *enterprise_number;
  char     *country;            /* ISO 3166-1 alpha-2, or NULL */
  char     *contact_name;
  char     *contact_email;
  DlgRoles  roles;
} DlgProfile;

typedef enum
{
  DLG_ASSESSMENT_STATE_DRAFT,
  DLG_ASSESSMENT_STATE_COMPLETE,
  DLG_ASSESSMENT_STATE_SIGNED,
} DlgAssessmentState;

/* One row of the list of assessments, with the evaluation cached so that
 * the list needs no questionnaire parsed. */
typedef struct
{
  char               *id;
  char               *title;
  char               *period;
  char               *recipient;
  char               *questionnaire_id;
  char               *questionnaire_version;
  char               *questionnaire_checksum;
  gboolean            quick_scan;
  DlgAssessmentState  state;
  gint64              created_at;
  gint64              updated_at;
  DlgLevel            level;
  double              score;
  gboolean            has_score;
  double              progress;
  char               *previous_id;  /* the period it continues, or NULL */
} DlgAssessmentInfo;

/**
 * DlgNotCarried:
 * @question_id: the question answered in the previous period
 * @question_text: its text, in the previous questionnaire
 * @reason: why the answer, or its value, could not be carried over
 */
typedef struct
{
  char *question_id;
  char *question_text;
  char *reason;
} DlgNotCarried;

/**
 * DlgSectionSummary:
 *
 * One section's result in one period (see #DlgSectionResult).
 */
typedef struct
{
  char     *section_id;
  char     *title;
  gboolean  visible;
  gboolean  complete;
  DlgLevel  level;
  gboolean  has_score;
  double    score;
} DlgSectionSummary;

/**
 * DlgPeriodSummary:
 * @sections: (element-type DlgSectionSummary): in questionnaire order
 * @n_open: actions in the plan not yet done
 * @n_overdue: open actions past their due date
 * @n_closed: actions done or verified
 * @n_proposed: proposals not yet accepted or dismissed
 *
 * One period of an assessment series, for progress over time.
 */
typedef struct
{
  char      *assessment_id;
  char      *title;
  char      *period;
  char      *recipient;
  char      *questionnaire_version;
  gboolean   quick_scan;
  gboolean   complete;
  DlgLevel   level;
  gboolean   has_score;
  double     score;
  GPtrArray *sections;
  guint      n_open;
  guint      n_overdue;
  guint      n_closed;
  guint      n_proposed;
} DlgPeriodSummary;

#define DLG_TYPE_STORE (dlg_store_get_type ())

G_DECLARE_FINAL_TYPE (DlgStore, dlg_store, DLG, STORE, GObject)

GQuark             dlg_store_error_quark          (void);

DlgProfile        *dlg_profile_copy               (const DlgProfile *profile);
void               dlg_profile_free               (DlgProfile       *profile);
void               dlg_assessment_info_free       (DlgAssessmentInfo *info);

DlgStore          *dlg_store_open                 (const char       *path,
                                                   GError          **error);
gboolean           dlg_store_set_aside            (const char       *path,
                                                   char            **out_path,
                                                   GError          **error);
const char        *dlg_store_get_path             (DlgStore         *self);
const char        *dlg_store_get_evidence_dir     (DlgStore         *self);
int                dlg_store_get_schema_version   (DlgStore         *self);
gboolean           dlg_store_check_integrity      (DlgStore         *self,
                                                   GError          **error);
void               dlg_store_limit_size           (DlgStore         *self,
                                                   gint64            max_bytes);
void               dlg_store_set_read_only        (DlgStore         *self,
                                                   gboolean          read_only);
gboolean           dlg_store_is_damaged           (DlgStore         *self);
const GError      *dlg_store_get_damage           (DlgStore         *self);
gboolean           dlg_store_error_is_damage      (const GError     *error);

DlgProfile        *dlg_store_load_profile         (DlgStore         *self,
                                                   GError          **error);
gboolean           dlg_store_save_profile         (DlgStore         *self,
                                                   const DlgProfile *profile,
                                                   GError          **error);

gboolean           dlg_store_add_questionnaire    (DlgStore         *self,
                                                   DlgQuestionnaire *questionnaire,
                                                   gboolean          imported,
                                                   GError          **error);
GPtrArray         *dlg_store_list_imported_questionnaires (DlgStore  *self,
                                                   GError          **error);
DlgQuestionnaire  *dlg_store_load_questionnaire   (DlgStore         *self,
                                                   const char       *checksum,
                                                   GError          **error);

char              *dlg_store_create_assessment    (DlgStore         *self,
                                                   DlgQuestionnaire *questionnaire,
                                                   const char       *title,
                                                   const char       *period,
                                                   const char       *recipient,
                                                   gboolean          quick_scan,
                                                   GError          **error);
GPtrArray         *dlg_store_list_assessments     (DlgStore         *self,
                                                   GError          **error);
DlgAssessmentInfo *dlg_store_get_assessment_info  (DlgStore         *self,
                                                   const char       *id,
                                                   GError          **error);
DlgAssessment     *dlg_store_load_assessment      (DlgStore         *self,
                                                   const char       *id,
                                                   GError          **error);
gboolean           dlg_store_save_answer          (DlgStore         *self,
                                                   const char       *assessment_id,
                                                   DlgAssessment    *assessment,
                                                   const char       *question_id,
                                                   GError          **error);
gboolean           dlg_store_save_answers         (DlgStore         *self,
                                                   const char       *assessment_id,
                                                   DlgAssessment    *assessment,
                                                   const char * const *question_ids,
                                                   GError          **error);
gboolean           dlg_store_set_state            (DlgStore         *self,
                                                   const char       *id,
                                                   DlgAssessmentState state,
                                                   GError          **error);
gboolean           dlg_store_trash_assessment     (DlgStore         *self,
                                                   const char       *id,
                                                   GError          **error);
gboolean           dlg_store_restore_assessment   (DlgStore         *self,
                                                   const char       *id,
                                                   GError          **error);
gboolean           dlg_store_purge_trash          (DlgStore         *self,
                                                   GError          **error);

gboolean           dlg_store_add_evidence         (DlgStore         *self,
                                                   const char       *assessment_id,
                                                   DlgAssessment    *assessment,
                                                   const char       *question_id,
                                                   GFile            *source,
                                                   char            **out_sha256,
                                                   GError          **error);
gboolean           dlg_store_remove_evidence      (DlgStore         *self,
                                                   const char       *assessment_id,
                                                   DlgAssessment    *assessment,
                                                   const char       *question_id,
                                                   const char       *sha256,
                                                   GError          **error);
GFile             *dlg_store_get_evidence_file    (DlgStore         *self,
                                                   const char       *sha256);

void               dlg_not_carried_free           (DlgNotCarried    *item);
void               dlg_period_summary_free        (DlgPeriodSummary *summary);

DlgActionPlan     *dlg_store_load_action_plan     (DlgStore         *self,
                                                   const char       *assessment_id,
                                                   GError          **error);
gboolean           dlg_store_save_action_plan     (DlgStore         *self,
                                                   const char       *assessment_id,
                                                   DlgActionPlan    *plan,
                                                   GError          **error);
gboolean           dlg_store_add_action_evidence  (DlgStore         *self,
                                                   const char       *assessment_id,
                                                   DlgActionPlan    *plan,
                                                   DlgAction        *action,
                                                   GFile            *source,
                                                   char            **out_sha256,
                                                   GError          **error);

GHashTable        *dlg_store_list_unconfirmed     (DlgStore         *self,
                                                   const char       *assessment_id,
                                                   GError          **error);
gboolean           dlg_store_confirm_answers      (DlgStore         *self,
                                                   const char       *assessment_id,
                                                   const char * const *question_ids,
                                                   GError          **error);
char              *dlg_store_start_next_period    (DlgStore         *self,
                                                   const char       *previous_id,
                                                   DlgQuestionnaire *questionnaire,
                                                   const char       *title,
                                                   const char       *period,
                                                   GPtrArray       **not_carried,
                                                   GError          **error);
GPtrArray         *dlg_store_list_periods         (DlgStore         *self,
                                                   const char       *questionnaire_id,
                                                   gboolean          quick_scan,
                                                   const char       *language,
                                                   const GDate      *today,
                                                   GError          **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DlgProfile, dlg_profile_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DlgNotCarried, dlg_not_carried_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DlgPeriodSummary, dlg_period_summary_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DlgAssessmentInfo, dlg_assessment_info_free)

G_END_DECLS
