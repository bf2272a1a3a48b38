"""Locust users for `make load` (benchmarks/load.py starts them; not meant to be run by hand).

Two kinds of daily users, each signed in as its own account from the plan file:
- focal points of MTPE read the cooperation list and the Peru–Panama record and send questions;
- ODES specialists read the training actions and save the attendance grid of their own session.
Every write the server acknowledges is written to the record file when the run stops, so the
driver can check that each one is in the database.
"""

import itertools
import json
import os
import random
import re
import uuid
from typing import Any

from locust import HttpUser, between, events, task

PLAN = json.loads(open(os.environ["LOAD_PLAN"]).read())
RECORD: dict[str, Any] = {"questions": [], "attendance": {}}
_accounts = {"focal": itertools.count(), "odes": itertools.count()}

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ORIGINAL = re.compile(r'name="original-(\d+)" value="([a-z]*)"')


def csrf_token(html: str) -> str:
    found = CSRF.search(html)
    if found is None:
        raise AssertionError("the page has no CSRF token")
    return found.group(1)


STATUSES = ["present", "absent", "justified"]


class SignedIn(HttpUser):
    abstract = True
    wait_time = between(0.5, 2.5)
    role = ""

    def on_start(self):
        self.account = PLAN[self.role][next(_accounts[self.role]) % len(PLAN[self.role])]
        page = self.client.get("/cuenta/login/", name="login page")
        response = self.client.post(
            "/cuenta/login/",
            name="login",
            allow_redirects=False,
            data={
                "username": self.account["username"],
                "password": PLAN["password"],
                "csrfmiddlewaretoken": csrf_token(page.text),
            },
        )
        if response.status_code != 302:
            raise RuntimeError(f"could not sign in as {self.account['username']}: {response.status_code}")


class FocalPoint(SignedIn):
    role = "focal"

    @task(3)
    def cooperation_list(self):
        self.client.get("/cooperaciones/", name="cooperation list")

    @task(3)
    def cooperation_detail(self):
        self.client.get(f"/cooperaciones/{PLAN['cooperation']}/", name="cooperation detail")

    @task(1)
    def send_question(self):
        url = f"/cooperaciones/{PLAN['cooperation']}/preguntas/nuevas/"
        form = self.client.get(url, name="question form")
        marker = uuid.uuid4().hex
        with self.client.post(
            url,
            name="question submit",
            allow_redirects=False,
            catch_response=True,
            data={
                "csrfmiddlewaretoken": csrf_token(form.text),
                "objective": PLAN["objective"],
                "text": f"1. ¿Cómo se mide el resultado {marker} del servicio de orientación?",
            },
        ) as response:
            if response.status_code == 302:
                RECORD["questions"].append(marker)
            else:
                response.failure(f"question not accepted: {response.status_code}")


class OdesSpecialist(SignedIn):
    role = "odes"

    @task(2)
    def action_list(self):
        self.client.get("/pfc/acciones/", name="action list")

    @task(2)
    def action_detail(self):
        self.client.get(f"/pfc/acciones/{self.account['action']}/", name="action detail")

    @task(2)
    def save_attendance(self):
        url = f"/pfc/sesiones/{self.account['session']}/asistencia/"
        grid = self.client.get(url, name="attendance grid")
        originals = dict(ORIGINAL.findall(grid.text))
        marks = {servant: random.choice(STATUSES) for servant in originals}
        data = {"csrfmiddlewaretoken": csrf_token(grid.text)}
        for servant, status in originals.items():
            data[f"original-{servant}"] = status
            data[f"servant-{servant}"] = marks[servant]
        with self.client.post(url, data=data, name="attendance save", catch_response=True) as response:
            if "Se guardó la asistencia" in response.text or "No hubo cambios" in response.text:
                RECORD["attendance"][str(self.account["session"])] = marks
            else:
                response.failure("attendance not saved")


@events.test_stop.add_listener
def _write_record(**_kwargs):
    with open(os.environ["LOAD_RECORD"], "w") as handle:
        json.dump(RECORD, handle)
