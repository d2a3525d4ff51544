"""Distributed workers: the pipeline's stages as Celery tasks over Redis or RabbitMQ."""

from marsad.workers.app import STORIES_QUEUE, WORK_QUEUE, make_app

__all__ = ["STORIES_QUEUE", "WORK_QUEUE", "make_app"]
