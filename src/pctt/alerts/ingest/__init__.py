"""Feeds in: poll upstream CAP feeds (Atom/RSS index or fat feeds) and store their alerts.

`poll.poll_feed` / `poll.poll_due` are the entry points; `pctt feeds` and the task
`tasks.poll_feed_task` call them. Reading feeds (`index`), HTTP (`fetch`) and geometry (`area`)
know nothing of the database; `store` does.
"""
