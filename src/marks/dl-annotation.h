/* dl-annotation.h — the analyst's marks on a scan: rectangles, polygons,
 * arrows, text and rulers, in image coordinates, with a label, author and
 * time.  Saved as JSON until the case file holds them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  DL_ANNOTATION_RECTANGLE,
  DL_ANNOTATION_POLYGON,
  DL_ANNOTATION_ARROW,
  DL_ANNOTATION_TEXT,
  DL_ANNOTATION_RULER,
  DL_N_ANNOTATION_KINDS
} DlAnnotationKind;

typedef struct
{
  double x;
  double y;
} DlPoint;

typedef struct
{
  guint             id;
  DlAnnotationKind  kind;
  guint             view;
  GArray           *points;   /* DlPoint, image pixels: 2 for rectangles, arrows, rulers; 1 for text */
  char             *label;
  char             *author;
  gint64            created;  /* seconds since the epoch, UTC */
} DlAnnotation;

#define DL_TYPE_ANNOTATIONS (dl_annotations_get_type ())
G_DECLARE_FINAL_TYPE (DlAnnotations, dl_annotations, DL, ANNOTATIONS, GObject)

DlAnnotations      *dl_annotations_new        (void);
guint               dl_annotations_get_n      (DlAnnotations     *self);
const DlAnnotation *dl_annotations_get        (DlAnnotations     *self,
                                               guint              index);
const DlAnnotation *dl_annotations_lookup     (DlAnnotations     *self,
                                               guint              id);
guint               dl_annotations_add        (DlAnnotations     *self,
                                               DlAnnotationKind   kind,
                                               guint              view,
                                               const DlPoint     *points,
                                               guint              n_points,
                                               const char        *label);
gboolean            dl_annotations_remove     (DlAnnotations     *self,
                                               guint              id);
gboolean            dl_annotations_move       (DlAnnotations     *self,
                                               guint              id,
                                               double             dx,
                                               double             dy);
gboolean            dl_annotations_set_label  (DlAnnotations     *self,
                                               guint              id,
                                               const char        *label);
guint               dl_annotations_hit        (DlAnnotations     *self,
                                               guint              view,
                                               double             x,
                                               double             y,
                                               double             tolerance);
void                dl_annotations_clear      (DlAnnotations     *self);
/* An edit: "changed" on every change, "edit-ended" once when it ends. */
void                dl_annotations_begin_edit (DlAnnotations     *self);
void                dl_annotations_end_edit   (DlAnnotations     *self);
gboolean            dl_annotations_in_edit    (DlAnnotations     *self);
char               *dl_annotations_to_json    (DlAnnotations     *self);
gboolean            dl_annotations_load_json  (DlAnnotations     *self,
                                               const char        *json,
                                               GError           **error);

const char         *dl_annotation_kind_to_id  (DlAnnotationKind   kind);
double              dl_annotation_length_mm   (const DlAnnotation *annotation,
                                               double              pitch_x_mm,
                                               double              pitch_y_mm);

G_END_DECLS
