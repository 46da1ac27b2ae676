"""What a kill around a save left on disk, and finishing a job from it: a model is saved once.

The proof that a job's model is saved is the model file beside a card that names the job
(`job_id`, which the worker writes into every card). A job with that proof is finished
from its card, never trained or saved again, whether its server was killed (a restart
finds it "running") or its worker was (the reader finds no last word). A job that had
chosen its file (its record keeps `saving_path`) but has no proof saves again at that very
name, replacing its own half-save (a model without its card), never a second model.
"""
from __future__ import annotations

from pathlib import Path

from fashion.model import registry
from fashion.model.naming import clean_stale
from fashion.runs.job import DONE, STOPPED, Job
from fashion.runs.store import JobStore

CARD_RESULT = ("test_metrics", "per_class", "epochs_completed", "stopped_early", "fit_seconds", "params",
               "command", "history")
MAX_CARD_BYTES = 4 << 20        # a card bigger than this is no card of ours (the schema caps them lower)


def _card_naming(model: Path, job_id: str) -> dict | None:
    """The card beside model when both exist and the card names job_id; else None."""
    if not model.is_file():
        return None
    try:
        card = registry.read_card(model.with_suffix(".json"))
    except (OSError, ValueError):
        return None
    return card if card.get("job_id") == job_id else None


def saved_model(job: Job, folder) -> tuple[Path, dict] | None:
    """(model path, card) of the job's saved model, or None: the file its record names
    first, then any card in folder that names the job (a kill before the record did)."""
    if not job.save:
        return None
    result = job.result or {}
    for recorded in (result.get("model_path"), result.get("saving_path")):
        if recorded and (card := _card_naming(Path(recorded), job.id)) is not None:
            return Path(recorded), card
    folder = Path(folder)
    if not folder.is_dir():
        return None
    for card_path in sorted(folder.glob("*.json")):
        try:
            if card_path.name.startswith(".") or card_path.stat().st_size > MAX_CARD_BYTES \
                    or job.id.encode() not in card_path.read_bytes():
                continue
        except OSError:
            continue
        model = card_path.with_suffix(".keras")
        if (card := _card_naming(model, job.id)) is not None:
            return model, card
    return None


def finish_from_disk(job: Job, folder, store: JobStore) -> bool:
    """Finish the job from its saved model when a kill left one (see saved_model): its
    figures from the card, done (or stopped), the checkpoint gone. False when there is none."""
    found = saved_model(job, folder)
    if found is None:
        return False
    path, card = found
    clean_stale(path.parent)          # the reservation and temp files of the killed save
    job.add_result({**{k: card[k] for k in CARD_RESULT if k in card}, "model_path": str(path)})
    store.remove_backup(job)
    job.finish(STOPPED if card.get("stopped_early") else DONE, epochs_completed=card.get("epochs_completed", 0),
               test_accuracy=(card.get("test_metrics") or {}).get("accuracy"))
    return True


def was_saving(job: Job) -> bool:
    """The job had chosen the file of its model: its training is over, only the save is left."""
    return bool(job.save and (job.result or {}).get("saving_path"))


def retry_save(job: Job) -> bool:
    """A worker that died mid-save (no proof on disk) gets one more try, from its checkpoint,
    at the name it had chosen: the job goes back to the queue (True) to finish at once."""
    if not was_saving(job) or job.result.get("save_retried"):
        return False
    job.result["save_retried"] = True
    job.requeue(finalize=True)       # persisted by the manager's save at dispatch
    return True


def resave_stem(job: Job, folder) -> str | None:
    """The name a job that was killed mid-save saves at again: the one it had chosen, when
    what is there is nothing, its own half-save or the model it was asked to replace; None
    (a fresh name) when another save took that name meanwhile."""
    if not was_saving(job):
        return None
    path = Path(job.result["saving_path"])
    if path.parent.resolve() != Path(folder).resolve():
        return None
    if job.overwrite or not path.exists():
        return path.stem
    try:
        card = registry.read_card(path.with_suffix(".json"))
    except (OSError, ValueError):
        return path.stem            # a model without its card: the half-save the kill left
    return path.stem if card.get("job_id") == job.id else None
