"""PATCH <item>/@composition: apply operations, all or none.

The body is ``{"operations": [...]}``; ``If-Match`` carries the version the
client saw, in its strict HTTP meaning: any change since refuses the request
(412).  With ``"merge": true`` in the body, changes made since are merged
instead: an operation is refused (412, with a sentence saying who changed
what) only when one of them conflicts with it (see compositepage.conflicts).
The operations go through ``compositepage.operations.perform`` one after
the other in one transaction; the first one that is refused dooms the
transaction, so a refused request changes nothing.

Design mode writes here like every other client; with ``?expand=design``
every answer, a refusal too, carries the floor plan's state in
``@components.design`` (see ``DesignCanvas.state``), with the sentence saying
what the last operation did and the widget to focus.
"""

from AccessControl import Unauthorized
from compositepage import _
from compositepage import limits
from compositepage.errors import InvalidOperation
from compositepage.errors import StaleVersion
from compositepage.errors import translated
from compositepage.operations import perform
from compositepage.restapi.serializer import plain_operation
from compositepage.restapi.services.writing import WriteService
from compositepage.storage import query_composition


class CompositionPatch(WriteService):
    def write(self, body, version):
        operations = body.get("operations") if isinstance(body, dict) else None
        if not isinstance(operations, list) or not operations:
            return self.error(
                400,
                "BadRequest",
                _(
                    "error_no_operations",
                    default='The body must be {"operations": [...]} with at least one '
                    "operation.",
                ),
            )
        if len(operations) > limits.MAX_OPERATIONS:
            return self.error(
                413,
                "PayloadTooLarge",
                _(
                    "error_too_many_operations",
                    default="At most ${max} operations per request.",
                    mapping={"max": limits.MAX_OPERATIONS},
                ),
            )
        merge = body.get("merge", False)
        if not isinstance(merge, bool):
            return self.error(
                400,
                "BadRequest",
                _("error_merge_bool", default='"merge" must be true or false.'),
            )
        composition = query_composition(self.context)
        current = composition.version if composition is not None else 0
        if version is not None and version != current and not merge:
            return self.stale(
                _(
                    "error_stale_rest",
                    default="The page is at version ${current}, not ${seen}: someone "
                    "else changed it. Here is the current composition.",
                    mapping={"current": current, "seen": version},
                )
            )
        said = None
        for number, operation in enumerate(operations, start=1):
            kind = operation.get("op") if isinstance(operation, dict) else None
            try:
                # Without merging, the version was checked above, once for
                # the whole request.
                done = perform(
                    self.context,
                    plain_operation(self.context, operation),
                    version if merge else None,
                    base=current,
                )
                # Said at once: a later operation may move the widget again.
                said = done.operation.describe(self.context), done.operation.focus
            except StaleVersion as error:
                sentence = translated(error, self.request)
                return self.stale(
                    _(
                        "error_in_operation",
                        default="Operation ${number} (${op}): ${problem}",
                        mapping={
                            "number": number,
                            "op": kind if isinstance(kind, str) else "?",
                            "problem": sentence,
                        },
                    ),
                    design_error=sentence,
                )
            except (InvalidOperation, Unauthorized) as error:
                where = _(
                    "error_in_operation",
                    default="Operation ${number} (${op}): ${problem}",
                    mapping={
                        "number": number,
                        "op": kind if isinstance(kind, str) else "?",
                        "problem": translated(error, self.request),
                    },
                )
                status, kind = (
                    (403, "Unauthorized")
                    if isinstance(error, Unauthorized)
                    else (400, "BadRequest")
                )
                return self.error(
                    status, kind, where, operation=number, design_error=error
                )
        return self.composition(said=said)
