"""The permission matrix: every page and every API endpoint, for every role and for an
anonymous visitor, is either allowed or refused, as the table below says.

The table is written out by hand on purpose: it is the specification, not a copy of
``shafaf.access.roles`` (a test derived from that table could never disagree with it).
A new URL pattern without a row here fails :func:`test_every_url_pattern_has_a_permission_decision`.

Writes have their own table, WRITES: every URL that accepts a POST, with every step its
form can take, for every role; a refused POST must leave every table as it was. A URL
that answers a POST and is in neither WRITES nor READS_ANSWERING_POST fails
:func:`test_every_url_that_accepts_a_post_is_in_the_write_table`.
"""

from __future__ import annotations

import io
import re
import uuid
from urllib.parse import quote

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve
from PIL import Image

from shafaf.access.roles import Role
from shafaf.accounts.models import User
from shafaf.audit.models import AuditEvent
from shafaf.audit.selectors import head
from shafaf.elections.models import District, Governorate, PollingCentre, PollingStation
from shafaf.entities.actions import ceremony
from shafaf.entities.demo import hold_ceremony
from shafaf.entities.models import (
    Candidate,
    Entity,
    EntityAgent,
    LotteryDraw,
    NominationList,
)
from shafaf.entities.synthetic import create_entities
from shafaf.jobs.models import Job
from shafaf.refusals import problem_files
from shafaf.tabular import Problems
from tests.web.conftest import PASSWORD

ANONYMOUS = "anonymous"
# The columns of the matrix, in the order of the expectation strings below.
COLUMNS = ("anonymous", "admin", "office_manager", "clerk", "entity_agent",
           "cso_coordinator", "observer", "auditor", "commissioner", "register_officer")

# What a GET of each URL gives each column:
#   200    allowed
#   login  a redirect (302) to the login page, coming back to the URL afterwards
#   401    the API refuses a request without a session
#   403    signed in, but the role lacks the capability
#   404    out of the user's governorate: a scoped user cannot learn that it exists
#   405    the URL answers only POST
# Placeholders: {ki} a Kirkuk station, {ba} a Basra station, {user} another user's id,
# {seq} an audit event's sequence number, {election} the election's code,
# {entity} the agent's own entity, {own_list} its Kirkuk list, {other_list} another
# entity's Basra list, {candidate} a candidate on {own_list}.
#
#                                          anon  admin mgr  clerk agent cso  obs  aud  board reg
MATRIX: dict[str, str] = {
    # Public pages
    "/":                                  "200   200   200  200   200   200  200  200  200  200",
    "/audit/":                            "200   200   200  200   200   200  200  200  200  200",
    "/lottery/verify/":                   "200   200   200  200   200   200  200  200  200  200",
    "/pvt/verify/":                       "200   200   200  200   200   200  200  200  200  200",
    "/accounts/login/":                   "200   200   200  200   200   200  200  200  200  200",
    "/accounts/logout/":                  "405   405   405  405   405   405  405  405  405  405",
    "/accounts/password/":                "login 200   200  200   200   200  200  200  200  200",
    # Staff pages
    "/staff/":                            "login 200   200  200   200   200  200  200  200  200",
    "/staff/stations/":                   "login 200   200  200   200   200  200  200  200  200",
    "/staff/stations/{ki}/":              "login 200   200  200   200   200  200  200  200  200",
    "/staff/stations/{ba}/":              "login 200   404  404   200   200  200  200  200  404",
    "/staff/geography/":                  "login 200   200  200   200   200  200  200  200  200",
    "/staff/import/":                     "login 200   200  403   403   403  403  403  403  403",
    # Elections: every staff member sees the list; only the administrator sets one up
    "/staff/elections/":                  "login 200   200  200   200   200  200  200  200  200",
    "/staff/elections/new/":              "login 200   403  403   403   403  403  403  403  403",
    "/staff/users/":                      "login 200   403  403   403   403  403  403  403  403",
    "/staff/users/{user}/":               "login 200   403  403   403   403  403  403  403  403",
    "/staff/users/{user}/password/":      "login 200   403  403   403   403  403  403  403  403",
    "/staff/audit/":                      "login 200   403  403   403   403  403  200  200  403",
    # A rejected file's whole list of problems: its uploader's (here the agent's), and the
    # administrator's, who manages users
    "/staff/problems/{problems}.csv":     "login 200   404  404   200   404  404  404  404  404",
    # Results (each part adds its rows in its own block below this one)
    "/staff/results/":                    "login 200   200  200   200   200  200  200  200  200",
    # Results: counting devices, transmissions, late stations
    # (devices: the administrator; the transmission endpoint answers only POST; no device
    # 999999)
    "/staff/results/devices/":            "login 200   403  403   403   403  403  403  403  403",
    "/staff/results/devices/999999/revoke/":
                                          "405   405   405  405   405   405  405  405  405  405",
    "/staff/results/late/":               "login 200   200  200   403   403  403  200  200  403",
    "/staff/results/transmissions/":      "login 200   200  200   403   403  403  200  200  403",
    "/api/results/transmissions":         "405   405   405  405   405   405  405  405  405  405",

    # Results: paper entry, twice, and the audit centre
    # (clerks enter; the coordinator resolves in their governorate; the audit centre is
    # national; a station's results are read within the governorate)
    "/staff/results/entry/":              "login 200   403  200   403   403  403  403  403  403",
    "/staff/results/entry/differences/":  "login 200   200  403   403   403  403  403  403  403",
    "/staff/results/entry/{entry_task_ki}/": "login 200 200  403   403   403  403  403  403  403",
    "/staff/results/entry/{entry_task_ba}/": "login 200 404  403   403   403  403  403  403  403",
    "/staff/results/audit/":              "login 200   403  403   403   403  403  403  403  403",
    "/staff/results/audit/{audit_result}/":  "405 405   405  405   405   405  405  405  405  405",
    "/staff/results/stations/{ki}/":      "login 200   200  200   403   403  403  200  200  403",
    "/staff/results/stations/{ba}/":      "login 200   404  404   403   403  403  200  200  403",
    "/staff/results/stations/{ki}/cancel/":  "405 405   405  405   405   405  405  405  405  405",

    # Results: complaints and appeals. Results staff read every complaint (scoped ones in
    # their governorate); filers their own ({complaint}: the agent's, in Kirkuk;
    # {complaint_ba}: the observer's, in Basra); the evidence only the Board, who decides
    "/staff/results/complaints/":         "login 200   200  200   200   200  200  200  200  403",
    "/staff/results/complaints/new/":     "login 403   403  403   200   200  200  403  403  403",
    "/staff/results/complaints/{complaint}/":
                                          "login 200   200  200   200   404  404  200  200  403",
    "/staff/results/complaints/{complaint_ba}/":
                                          "login 200   404  404   404   404  200  200  200  403",
    "/staff/results/complaints/{complaint}/evidence":
                                          "login 403   403  403   403   403  403  403  200  403",
    "/results/complaints/new/":           "200   200   200  200   200   200  200  200  200  200",
    "/results/complaints/decisions/":     "200   200   200  200   200   200  200  200  200  200",

    # Results: tabulation, certification, publication
    # (the live tabulation: who may see results, scoped users their governorate; the
    # public pages before any publication: a page saying so, 404 for files and the API)
    "/staff/results/tabulation/":         "login 200   200  200   403   403  403  200  200  403",
    "/staff/results/tabulation/{election}/IQ-KI/certify/":
                                          "405   405   405  405   405   405  405  405  405  405",
    "/staff/results/tabulation/{election}/IQ-KI/publish/":
                                          "405   405   405  405   405   405  405  405  405  405",
    "/results/{election}/":               "200   200   200  200   200   200  200  200  200  200",
    "/results/{election}/manifest.json":  "404   404   404  404   404   404  404  404  404  404",
    "/results/{election}/IQ-KI/":         "200   200   200  200   200   200  200  200  200  200",
    "/results/{election}/IQ-KI/votes.csv":
                                          "404   404   404  404   404   404  404  404  404  404",
    "/api/results/{election}/IQ-KI":      "404   404   404  404   404   404  404  404  404  404",
    # Their forensics (docs/forensics.md): public; nothing published in the fixture, so
    # the pages say so and the plots and the JSON are 404 for everyone alike.
    "/results/{election}/forensics/":     "200   200   200  200   200   200  200  200  200  200",
    "/results/{election}/forensics/turnout.svg":
                                          "404   404   404  404   404   404  404  404  404  404",
    "/results/{election}/IQ-KI/forensics/":
                                          "200   200   200  200   200   200  200  200  200  200",
    "/results/{election}/IQ-KI/forensics/turnout.svg":
                                          "404   404   404  404   404   404  404  404  404  404",
    "/api/results/{election}/IQ-KI/forensics":
                                          "404   404   404  404   404   404  404  404  404  404",

    # The voter register (its staff pages, then the voter's own public doors)
    "/staff/register/":                   "login 200   200  200   200   200  200  200  200  200",
    "/staff/register/import/":            "login 200   403  403   403   403  403  403  403  403",
    # A background job: only the one who asked for it (here the administrator)
    "/staff/jobs/{job}/":                 "login 200   404  404   404   404  404  404  404  404",
    "/staff/jobs/{job}.json":             "login 200   404  404   404   404  404  404  404  404",
    # The exhibition of the preliminary register: public while on display (the fixture's
    # calendar has none: each page says so); objections decided by the office, in its
    # governorate (no objection 999999: 404 once allowed); finalised by the administrator
    "/register/exhibition/":              "200   200   200  200   200   200  200  200  200  200",
    "/register/exhibition/find/":         "200   200   200  200   200   200  200  200  200  200",
    "/register/exhibition/object/":       "200   200   200  200   200   200  200  200  200  200",
    "/register/exhibition/decisions/":    "200   200   200  200   200   200  200  200  200  200",
    "/register/exhibition/IQ-KI/":        "200   200   200  200   200   200  200  200  200  200",
    "/register/exhibition/IQ-KI/KI0001/": "200   200   200  200   200   200  200  200  200  200",
    "/staff/register/objections/":        "login 200   200  403   403   403  403  403  403  403",
    "/staff/register/objections/999999/": "login 404   404  403   403   403  403  403  403  403",
    "/staff/register/objections/999999/evidence":
                                          "login 404   404  403   403   403  403  403  403  403",
    "/staff/register/finalise/":          "login 200   403  403   403   403  403  403  403  403",
    # Where do I vote, and where the registration centres are: public; the JSON lookup
    # answers only POST
    "/register/where/":                   "200   200   200  200   200   200  200  200  200  200",
    "/register/centres/":                 "200   200   200  200   200   200  200  200  200  200",
    "/api/register/lookup":               "405   405   405  405   405   405  405  405  405  405",
    # Duplicate detection's review queue: register reviewers, within their governorate
    "/staff/register/duplicates/":        "login 200   200  403   403   403  403  403  403  200",
    "/staff/register/duplicates/run/":    "405   405   405  405   405   405  405  405  405  405",
    "/staff/register/duplicates/{dup_ki}/":  "login 200   200  403   403   403  403  403  403  200",
    "/staff/register/duplicates/{dup_ba}/":  "login 200   404  403   403   403  403  403  403  404",
    # Stations from the register, the station voter lists, the staff's view of voters
    "/staff/register/stations/":          "login 200   200  403   403   403  403  403  403  200",
    "/staff/register/centres/{centre_ki}/": "login 200 200  403   403   403  403  403  403  200",
    "/staff/register/centres/{centre_ba}/": "login 200 404  403   403   403  403  403  403  404",
    "/staff/register/centres/{centre_ki}/lists/":
                                          "405   405   405  405   405   405  405  405  405  405",
    "/staff/register/voters/":            "login 200   200  403   403   403  403  403  403  200",
    "/staff/register/voters/{voter_ki}/": "login 200   200  403   403   403  403  403  403  200",
    "/staff/register/voters/{voter_ba}/": "login 200   404  403   403   403  403  403  403  404",
    "/staff/register/voters/999999999/":  "login 404   404  403   403   403  403  403  403  404",
    # The update campaign's requests ({campaign_request} Kirkuk's, {campaign_request_ba} Basra's)
    "/staff/register/requests/":          "login 200   200  403   403   403  403  403  403  200",
    "/staff/register/requests/new/":      "login 200   403  403   403   403  403  403  403  200",
    "/staff/register/requests/{campaign_request}/":
                                          "login 200   200  403   403   403  403  403  403  200",
    "/staff/register/requests/{campaign_request_ba}/":
                                          "login 200   404  403   403   403  403  403  403  404",
    "/staff/register/requests/remove-deceased/":
                                          "login 200   200  403   403   403  403  403  403  403",
    "/register/request-status/":          "200   200   200  200   200   200  200  200  200  200",
    "/register/campaign/":                "200   200   200  200   200   200  200  200  200  200",
    "/register/campaign/figures.csv":     "200   200   200  200   200   200  200  200  200  200",
    "/api/register/requests/status":      "405   405   405  405   405   405  405  405  405  405",
    # API: public
    "/api/elections/":                    "200   200   200  200   200   200  200  200  200  200",
    "/api/elections/gc-2023":             "200   200   200  200   200   200  200  200  200  200",
    "/api/audit/head":                    "200   200   200  200   200   200  200  200  200  200",
    "/api/audit/key":                     "200   200   200  200   200   200  200  200  200  200",
    "/api/audit/feed":                    "200   200   200  200   200   200  200  200  200  200",
    "/api/audit/checkpoints":             "200   200   200  200   200   200  200  200  200  200",
    "/api/openapi.json":                  "200   200   200  200   200   200  200  200  200  200",
    "/api/docs":                          "200   200   200  200   200   200  200  200  200  200",
    "/api/":                              "404   404   404  404   404   404  404  404  404  404",
    # API: staff
    "/api/elections/stations/list":       "401   200   200  200   200   200  200  200  200  200",
    "/api/elections/stations/{ki}":       "401   200   200  200   200   200  200  200  200  200",
    "/api/elections/stations/{ba}":       "401   200   404  404   200   200  200  200  200  404",
    "/api/audit/events":                  "401   200   403  403   403   403  403  200  200  403",
    "/api/audit/events/{seq}":            "401   200   403  403   403   403  403  200  200  403",
    # Entities: nominations and certification (an agent reaches only their own entity)
    "/staff/entities/":                   "login 200   200  200   200   403  403  200  200  200",
    "/staff/entities/{entity}/":          "login 200   200  200   200   403  403  200  200  200",
    "/staff/nominations/{own_list}/":     "login 200   200  200   200   403  403  200  200  200",
    "/staff/nominations/{other_list}/":   "login 200   404  404   404   403  403  200  200  404",
    "/staff/candidates/{candidate}/":     "login 200   200  200   200   403  403  200  200  200",
    "/staff/objections/":                 "login 403   403  403   200   200  200  403  403  403",
    "/staff/nominations/{own_list}/template.csv":
                                          "login 200 200 200   200   403  403  200  200  200",
    "/staff/nominations/{other_list}/template.xlsx":
                                          "login 200 404 404  404   403  403  200  200  404",
    "/staff/check-replies/":              "login 200   200  403   403   403  403  403  403  403",
    "/staff/check-replies/awaited.csv":   "login 200   200  403   403   403  403  403  403  403",
    "/api/nominations/lists":             "401   200   200  200   200   403  403  200  200  200",
    "/api/nominations/lists/{own_list}":  "401   200   200  200   200   403  403  200  200  200",
    "/api/nominations/lists/{other_list}":   "401   200   404  404   404   403  403  200  200  404",
    "/api/nominations/lists/{own_list}/submit":
                                          "405 405   405  405   405   405  405  405  405  405",
    # Entities: candidate directory
    "/candidates/":                       "200   200   200  200   200   200  200  200  200  200",
    "/candidates/{election}/IQ-KI/":      "200   200   200  200   200   200  200  200  200  200",
    "/candidates/{election}/candidates.csv": "200   200   200  200   200   200  200  200  200  200",
    "/candidates/{election}/nist.json":   "200   200   200  200   200   200  200  200  200  200",
    "/api/entities/{election}/lists":     "200   200   200  200   200   200  200  200  200  200",
    # Entities: lottery ceremony
    "/staff/lottery/":                    "login 200   403  403   403   403  403  403  200  403",
    "/staff/lottery/{draw}/":             "login 200   403  403   403   403  403  403  200  403",
    "/staff/lottery/supplementary/":      "login 200   403  403   403   403  403  403  200  403",
    # Each contributor's part of the seed: agents of entities in the draw, observers,
    # civil-society coordinators and the commission (the agent's entity is in the draw).
    "/staff/lottery/{draw}/my-part/":     "login 200   403  403   200   200  200  403  200  403",
    "/lottery/{election}/":               "200   200   200  200   200   200  200  200  200  200",
    "/lottery/{election}/projector/":     "200   200   200  200   200   200  200  200  200  200",
    "/lottery/{election}/transcript.json":   "200   200   200  200   200   200  200  200  200  200",
    # Entities: ballots
    "/ballots/{election}/":               "200   200   200  200   200   200  200  200  200  200",
    "/ballots/{election}/IQ-KI.pdf":      "200   200   200  200   200   200  200  200  200  200",
    # The fixture has no component candidacies: public, and 404 for everyone alike.
    "/ballots/{election}/IQ-KI/christian.pdf":
                                          "404  404   404  404   404   404  404  404  404  404",
    # Observation (docs/observation.md): each part of observation adds its rows in its block.
    "/staff/observation/":                "login 200   200  200   200   200  200  200  200  200",
    # Observation: accreditation, badges
    # (public: the application and the badge verifier; the commission's accreditation
    # staff (the administrator) decide organisations and observers and see every
    # observer; a coordinator sees their own organisation's only ({cso_observer}), an
    # agent without an organisation none; {other_observer} is another organisation's)
    "/observation/apply/":                "200   200   200  200   200   200  200  200  200  200",
    "/verify/badge/":                     "200   200   200  200   200   200  200  200  200  200",
    "/verify/badge/{badge_code}/":        "200   200   200  200   200   200  200  200  200  200",
    "/verify/badge/NOPE/":                "404   404   404  404   404   404  404  404  404  404",
    "/api/accreditation/verify/{badge_code}":
                                          "200   200   200  200   200   200  200  200  200  200",
    "/api/accreditation/verify/NOPE":     "404   404   404  404   404   404  404  404  404  404",
    "/api/accreditation/me":              "401   404   404  404   404   404  200  404  404  404",
    "/staff/observation/organisations/":  "login 200   403  403   403   403  403  403  403  403",
    "/staff/observation/organisations/{org_applied}/":
                                          "405   405   405  405   405   405  405  405  405  405",
    "/staff/observation/agents/":         "login 403   403  403   200   200  403  403  403  403",
    "/staff/observation/observers/":      "login 200   403  403   200   200  403  403  403  403",
    "/staff/observation/observers/template.csv":
                                          "login 403   403  403   404   200  403  403  403  403",
    "/staff/observation/observers/{cso_observer}/":
                                          "login 200   403  403   404   200  403  403  403  403",
    "/staff/observation/observers/{other_observer}/":
                                          "login 200   403  403   404   404  403  403  403  403",
    "/staff/observation/observers/{cso_observer}/photo":
                                          "login 200   403  403   404   200  403  403  403  403",
    "/staff/observation/observers/{other_observer}/photo":
                                          "login 404   403  403   404   404  403  403  403  403",
    "/staff/observation/observers/{cso_observer}/badge.pdf":
                                          "login 200   403  403   404   200  403  403  403  403",
    "/staff/observation/observers/{other_observer}/badge.pdf":
                                          "login 409   403  403   404   404  403  403  403  403",
    "/staff/observation/badges.pdf":      "login 404   403  403   404   200  403  403  403  403",
    # A badges PDF the job worker prepared: its owner's alone (a name never made: 404)
    "/staff/observation/badges/00000000000000000000000000000000.pdf":
                                          "login 404   403  403   404   404  403  403  403  403",
    "/staff/observation/accreditation/":  "login 200   403  403   403   403  403  403  403  403",
    "/observe/conduct/":                  "login 403   403  403   403   403  200  403  403  403",
    # Observation: forms, submissions, the API, quality
    # (the fixture's entity agent coordinates no organisation: 403 like a role without
    # the capability; the accreditation staff read, a coordinator builds and decides)
    "/staff/observation/forms/":          "login 200   403  403   403   200  403  403  403  403",
    "/staff/observation/forms/new/":      "login 403   403  403   403   200  403  403  403  403",
    "/staff/observation/forms/opening/new-version/":
                                          "login 403   403  403   403   200  403  403  403  403",
    "/staff/observation/forms/nothing/new-version/":
                                          "login 403   403  403   403   404  403  403  403  403",
    "/staff/observation/submissions/":    "login 200   403  403   403   200  403  403  403  403",
    "/staff/observation/submissions/{obs_report}/":
                                          "login 200   403  403   403   200  403  403  403  403",
    # The SMS gateway's webhook: a POST with the shared secret only (none in the tests)
    "/api/observation/sms":               "405   405   405  405   405   405  405  405  405  405",
    # Observation: the phone app offline, SMS
    # The app's shell: observers only; its manifest and service worker hold no data
    # (the browser fetches a manifest without the session).
    "/observe/":                          "login 403   403  403   403   403  200  403  403  403",
    "/observe/manifest.webmanifest":      "200   200   200  200   200   200  200  200  200  200",
    "/observe/sw.js":                     "200   200   200  200   200   200  200  200  200  200",
    # The observer's API: an accredited observer's own forms, stations and reports.
    "/api/observation/forms":             "401   403   403  403   403   403  200  403  403  403",
    "/api/observation/assignments":       "401   403   403  403   403   403  200  403  403  403",
    "/api/observation/submissions":       "401   403   403  403   403   403  200  403  403  403",
    # Observation: deployment, incidents, dashboards, public page, statement
    # (the coordinator of an organisation; an entity's agent who coordinates none is
    # refused; the accreditation staff see every organisation's coverage and photos;
    # the public page and published statements are everyone's; the photo upload is POST)
    "/staff/observation/deployment/":     "login 403   403  403   403   200  403  403  403  403",
    "/staff/observation/coverage/":       "login 200   403  403   403   200  403  403  403  403",
    "/staff/observation/incidents/":      "login 403   403  403   403   200  403  403  403  403",
    "/staff/observation/photos/{dash_photo}":
                                          "login 200   403  403   403   200  403  403  403  403",
    "/staff/observation/alerts/":         "login 403   403  403   403   200  403  403  403  403",
    "/staff/observation/dashboard/":      "login 403   403  403   403   200  403  403  403  403",
    "/staff/observation/statement/":      "login 403   403  403   403   200  403  403  403  403",
    "/api/observation/submissions/{dash_report}/photos":
                                          "405   405   405  405   405   405  405  405  405  405",
    "/observation/":                      "200   200   200  200   200   200  200  200  200  200",
    "/observation/{dash_org}/statement/": "200   200   200  200   200   200  200  200  200  200",
    "/observation/{dash_org}/statement.pdf": "200 200   200  200   200   200  200  200  200  200",
    # its PVT data as frozen (that statement froze no PVT: 404 for everyone)
    "/observation/{dash_org}/statement/pvt-reports.csv":
                                          "404   404   404  404   404   404  404  404  404  404",
    "/observation/NOPE/statement/":       "404   404   404  404   404   404  404  404  404  404",
    # Observation: posted result forms against the published results (the coordinator's
    # own organisation's reports; published findings and their CSV are everyone's)
    "/staff/observation/posted/":         "login 403   403  403   403   200  403  403  403  403",
    "/observation/findings/":             "200   200   200  200   200   200  200  200  200  200",
    "/observation/{dash_org}/findings.csv": "200 200   200  200   200   200  200  200  200  200",
    "/observation/NOPE/findings.csv":     "404   404   404  404   404   404  404  404  404  404",
    # Observation: the parallel vote tabulation (the coordinator's own organisation's
    # sample and estimate; {pvt_org}'s drawn sample, its files and estimate are everyone's)
    "/staff/observation/pvt/":            "login 403   403  403   403   200  403  403  403  403",
    "/staff/observation/pvt/estimate/":   "login 403   403  403   403   200  403  403  403  403",
    "/staff/observation/pvt/estimate.json": "login 403 403  403   403   200  403  403  403  403",
    "/observation/{pvt_org}/pvt/":        "200   200   200  200   200   200  200  200  200  200",
    "/observation/{pvt_org}/pvt/frame.csv": "200 200   200  200   200   200  200  200  200  200",
    "/observation/{pvt_org}/pvt/sample.json": "200 200  200  200   200   200  200  200  200  200",
    "/observation/{pvt_org}/pvt/estimate.csv": "200 200 200  200   200   200  200  200  200  200",
    "/observation/{pvt_org}/pvt/reports.csv": "200 200  200  200   200   200  200  200  200  200",
    "/observation/NOPE/pvt/":             "404   404   404  404   404   404  404  404  404  404",
    # Observation: the channel with the commission
    # Notices: the sender's side (the commission, an office its own governorate's) and
    # the coordinators of targeted organisations; {notice} is national, {notice_ki} the
    # Kirkuk office's. The agent coordinates no organisation here: no notice is theirs.
    "/staff/observation/notices/":        "login 200   200  403   200   200  403  403  403  403",
    "/staff/observation/notices/new/":    "login 200   200  403   403   403  403  403  403  403",
    "/staff/observation/notices/{notice}/":
                                          "login 200   404  403   404   200  403  403  403  403",
    "/staff/observation/notices/{notice_ki}/":
                                          "login 200   200  403   404   200  403  403  403  403",
    "/staff/observation/notices/{notice}/attachment.pdf":
                                          "login 200   404  403   404   200  403  403  403  403",
    # Meetings: {meeting_ki} is the Kirkuk office's, not published; {meeting_ba} Basra's,
    # published
    "/staff/observation/meetings/":       "login 200   200  403   403   403  403  403  403  403",
    "/staff/observation/meetings/new/":   "login 200   200  403   403   403  403  403  403  403",
    "/staff/observation/meetings/{meeting_ki}/":
                                          "login 200   200  403   403   403  403  403  403  403",
    "/staff/observation/meetings/{meeting_ba}/":
                                          "login 200   404  403   403   403  403  403  403  403",
    "/observation/meetings/":             "200   200   200  200   200   200  200  200  200  200",
    "/observation/meetings/{meeting_ba}/":
                                          "200   200   200  200   200   200  200  200  200  200",
    "/observation/meetings/{meeting_ki}/":
                                          "404   404   404  404   404   404  404  404  404  404",
    "/observation/meetings/{meeting_ba}/documents/{document_ba}.pdf":
                                          "200   200   200  200   200   200  200  200  200  200",
    "/observation/meetings/{meeting_ki}/documents/{document_ki}.pdf":
                                          "404   200   200  404   404   404  404  404  404  404",
    # Recommendations: filed by a coordinator, answered by the commission
    "/staff/observation/recommendations/":
                                          "login 200   200  403   403   200  403  403  403  403",
    "/staff/observation/recommendations/{recommendation}/answer/":
                                          "405   405   405  405   405   405  405  405  405  405",
    "/observation/recommendations/":      "200   200   200  200   200   200  200  200  200  200",
    # Voter awareness: a coordinator records their organisation's sessions
    "/staff/observation/awareness/":      "login 403   403  403   403   200  403  403  403  403",
    "/observation/awareness/":            "200   200   200  200   200   200  200  200  200  200",
    "/observation/awareness.csv":         "200   200   200  200   200   200  200  200  200  200",
}

# URL patterns deliberately left out of the matrix, each with its reason.
NOT_IN_MATRIX = {
    # Django's language switcher: public by design, POST from the language menu.
    "i18n/setlang/",
}

CASES = [
    pytest.param(url, column, expected, id=f"{url} {column}")
    for url, row in MATRIX.items()
    for column, expected in zip(COLUMNS, row.split(), strict=True)
]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The ``users`` fixture hashes seven passwords per test; Argon2 (tested in
    test_accounts) would make this matrix of ~190 cases take minutes."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _station(code: str) -> PollingStation:
    return PollingStation.objects.get(code=code)


@pytest.fixture
def places(stations, users) -> dict[str, object]:
    """What the placeholders of the matrix stand for."""
    own, other = create_entities(stations, lists={"IQ-KI": 2, "IQ-BA": 2},
                                 candidates_per_list=8, numbered=True)
    EntityAgent.objects.create(user=users[Role.ENTITY_AGENT], entity=own)
    own_list = own.lists.get(contest__governorate__code="IQ-KI")
    draw = ceremony.freeze(actor=users[Role.ADMIN], election=stations, numbers="1-10",
                           beacon="a beacon round")
    hold_ceremony(draw=draw, operator=users[Role.ADMIN], beacon_value="ab",
                  contributors=[(users[Role.ADMIN], "4")])
    return {"ki": _station("KI0001-01").pk, "ba": _station("BA0001-01").pk,
            "user": users[Role.CLERK].pk, "seq": head().seq, "election": stations.code,
            "election_id": stations.pk, "entity": own.pk, "own_list": own_list.pk,
            "other_list": other.lists.get(contest__governorate__code="IQ-BA").pk,
            "candidate": own_list.candidates.first().pk, "draw": draw.pk,
            "contest": own_list.contest_id, "problems": _problems_file(users[Role.ENTITY_AGENT]),
            "job": Job.objects.create(kind="register.import_voters",
                                      created_by=users[Role.ADMIN]).pk,
            **_duplicate_groups(stations), **_register_places(),
            **_campaign_requests(stations), **_results_transmission_places(stations, users),
            **_results_entry_places(stations, users), **_results_complaint_places(stations, users),
            **_results_publication_places(stations, users),
            **_observation_accreditation_places(stations, users),
            **_observation_report_places(stations, users),
            **_observation_offline_places(stations, users),
            **_observation_dashboard_places(stations, users),
            **_observation_channel_places(stations, users),
            **_observation_posted_places(stations, users),
            **_observation_pvt_places(stations, users)}


# Results' placeholders: each part of results fills its own function.
def _results_transmission_places(election, users) -> dict[str, object]:
    """Counting devices, transmissions, late stations."""
    return {}


def _results_entry_places(election, users) -> dict[str, object]:
    """Paper entry, twice, and the audit centre: a form whose two entries differ in
    Kirkuk and in Basra, and a Kirkuk station at the audit centre."""
    from shafaf.elections.models import Contest
    from shafaf.results.models import (
        Entry,
        EntryState,
        EntryTask,
        Outcome,
        StationResult,
    )

    found: dict[str, object] = {}
    zeros = dict.fromkeys(("registered", "voted", "ballots_received", "ballots_in_box",
                           "ballots_spoiled", "ballots_unused", "invalid", "valid"), 0)
    for key, code in (("ki", "KI0001-03"), ("ba", "BA0001-03")):
        station = _station(code)
        contest = Contest.objects.get(election=election,
                                      governorate_id=station.centre.governorate_id)
        task = EntryTask.objects.create(station=station, contest=contest, source="manual",
                                        state=EntryState.DIFFERENT)
        Entry.objects.create(task=task, kind="first", entered_by=users[Role.CLERK], **zeros)
        Entry.objects.create(task=task, kind="second", entered_by=users[Role.ADMIN],
                             **{**zeros, "registered": 1})
        found[f"entry_task_{key}"] = task.pk
    station = _station("KI0001-04")
    found["audit_result"] = StationResult.objects.create(
        station=station, contest=Contest.objects.get(
            election=election, governorate_id=station.centre.governorate_id),
        outcome=Outcome.AUDIT, audit_reason="quarantine").pk
    return found


def _results_complaint_places(election, users) -> dict[str, object]:
    """Complaints and appeals: the agent's on a Kirkuk station, with evidence; the
    observer's on a Basra centre."""
    from django.utils import timezone

    from shafaf.results.models import ResultComplaint

    ki, ba = _station("KI0001-01"), PollingCentre.objects.get(election=election, code="BA0001")
    mine = ResultComplaint.objects.create(
        election=election, centre=ki.centre, station=ki, filed_by=users[Role.ENTITY_AGENT],
        ground="count_error", statement="x", filed=timezone.now(),
        evidence_file=b"%PDF-1.4\n%%EOF\n", evidence_type="application/pdf")
    theirs = ResultComplaint.objects.create(
        election=election, centre=ba, filed_by=users[Role.OBSERVER], ground="other",
        statement="x", filed=timezone.now())
    return {"complaint": mine.pk, "complaint_ba": theirs.pk}


def _results_publication_places(election, users) -> dict[str, object]:
    """Tabulation, certification, publication."""
    return {}


# Observation's placeholders: each part of observation fills its own function.
def _observation_accreditation_places(election, users) -> dict[str, object]:
    """Organisations, observers, badges: an organisation that applied; the civil-society
    coordinator's organisation with the ``observer`` user accredited (code of conduct
    accepted, a photo, a badge); another organisation's observer, accredited without
    the code of conduct; an observer awaiting accreditation."""
    from datetime import date

    from django.utils import timezone

    from shafaf.observation import codes
    from shafaf.observation.models import (
        Badge,
        Coordinator,
        Observer,
        Organisation,
        OrganisationStatus,
    )

    kirkuk = Governorate.objects.get(code="IQ-KI")
    now = timezone.now()

    def organisation(code: str, status: str = OrganisationStatus.APPROVED) -> Organisation:
        made, _ = Organisation.objects.get_or_create(
            election=election, code=code, defaults={
                "name_ar": f"منظمة {code}", "contact_name": "x", "status": status,
                "contact_email": "x@example.org"})
        made.governorates.add(kirkuk)
        return made

    held = Coordinator.objects.filter(user=users[Role.CSO_COORDINATOR]).first()
    own = held.organisation if held else organisation("CSO-1")
    if held is None:
        Coordinator.objects.create(user=users[Role.CSO_COORDINATOR], organisation=own)
    applied = organisation("", OrganisationStatus.APPLIED)
    mine = Observer.objects.filter(user=users[Role.OBSERVER]).first() or Observer.objects.create(
        organisation=own, full_name="مراقب", birth_date=date(1990, 1, 1), sex="F",
        governorate=kirkuk, user=users[Role.OBSERVER], status="accredited")
    Observer.objects.filter(pk=mine.pk).update(conduct_accepted=now, photo=_png(),
                                               photo_type="image/png")
    badge = mine.badges.first() or Badge.objects.create(
        observer=mine, code=codes.new_code(), issued=now, expires=now)
    other = Observer.objects.create(
        organisation=organisation("CSO-77"), full_name="آخر", birth_date=date(1990, 1, 1),
        sex="M", governorate=kirkuk, status="accredited")
    Badge.objects.create(observer=other, code=codes.new_code(), issued=now, expires=now)
    waiting = Observer.objects.create(organisation=own, full_name="منتظر", sex="M",
                                      birth_date=date(1990, 1, 1), governorate=kirkuk)
    return {"org_applied": applied.pk, "cso_observer": mine.pk, "other_observer": other.pk,
            "badge_code": badge.code, "waiting_observer": waiting.pk,
            "governorate_ki": kirkuk.pk}


def _observation_accreditation_payload(template: str, step: str,
                                       places: dict[str, object]) -> dict[str, object]:
    application = {"election": places["election_id"], "kind": "local", "name_ar": "منظمة",
                   "registration_number": "NGO-1", "governorates": [places["governorate_ki"]],
                   "contact_name": "x", "contact_email": "x@example.org"}
    observer = {"full_name": "مراقب جديد", "voter_number": "100000000001",
                "birth_date": "1990-01-01", "sex": "M", "governorate": "IQ-KI"}
    return {
        "/observation/apply/": application,
        "/staff/observation/agents/": application,
        "/observe/conduct/": {"accept": "on"},
    }.get(template) or {"step": step, "reason": "x", **observer,
                        "observer": places["waiting_observer"],
                        "photo": SimpleUploadedFile("p.png", _png()),
                        "file": SimpleUploadedFile("o.csv", b"full_name\n")}


def _observation_report_places(election, users) -> dict[str, object]:
    """Forms, submissions, verification: the cso user's organisation (made here unless
    another part made it), the observer user accredited in it, and one closing report."""
    from shafaf.observation.models import (
        Assignment,
        Coordinator,
        Observer,
        ObserverStatus,
        Organisation,
        OrganisationStatus,
    )
    from shafaf.observation.submissions import submit

    held = Coordinator.objects.filter(user=users[Role.CSO_COORDINATOR]).first()
    if held is None:
        organisation = Organisation.objects.create(
            election=election, name_ar="منظمة", contact_name="x",
            contact_email="x@example.org", status=OrganisationStatus.APPROVED, code="CSO-R")
        held = Coordinator.objects.create(user=users[Role.CSO_COORDINATOR],
                                          organisation=organisation)
    observer = Observer.objects.filter(user=users[Role.OBSERVER]).first() or \
        Observer.objects.create(
            organisation=held.organisation, full_name="مراقب", birth_date="1990-01-01",
            sex="F", governorate=Governorate.objects.get(code="IQ-KI"),
            user=users[Role.OBSERVER], status=ObserverStatus.ACCREDITED)
    station = _station("KI0001-01")
    Assignment.objects.get_or_create(observer=observer, station=station,
                                     defaults={"centre": station.centre})
    report, _ = submit(observer, client_id=uuid.uuid4(), form_code="closing",
                       station_code=station.code,
                       answers={"closed_at": "18:00", "voters_total": 10})
    return {"obs_report": report.pk}


def _observation_form_rows(code: str) -> dict[str, object]:
    """The question builder's POST for a standard form's questions as they are."""
    from shafaf.observation import standard_forms

    form = next(f for f in standard_forms.definitions() if f["code"] == code)
    data: dict[str, object] = {"name_ar": form["name"]["ar"], "form-INITIAL_FORMS": "0",
                               "form-TOTAL_FORMS": str(len(form["questions"]))}
    for n, q in enumerate(form["questions"]):
        data |= {f"form-{n}-qid": q["id"], f"form-{n}-type": q["type"],
                 f"form-{n}-label_ar": q["label"]["ar"], f"form-{n}-ORDER": str(n),
                 f"form-{n}-choices": "\n".join(c["value"] for c in q.get("choices", ()))}
    return data


def _observation_offline_places(election, users) -> dict[str, object]:
    """The phone app and SMS: the ``observer`` user is an accredited observer (made
    here unless another part made them already), deployed to a Kirkuk station."""
    from datetime import date

    from shafaf.observation.models import (
        Assignment,
        Observer,
        ObserverStatus,
        Organisation,
        OrganisationStatus,
    )

    if not Observer.objects.filter(user=users[Role.OBSERVER]).exists():
        organisation = Organisation.objects.create(
            election=election, name_ar="منظمة", contact_name="x",
            contact_email="x@example.org", status=OrganisationStatus.APPROVED, code="CSO-APP")
        observer = Observer.objects.create(
            organisation=organisation, full_name="مراقب", birth_date=date(1990, 1, 1),
            sex="F", governorate=Governorate.objects.get(code="IQ-KI"),
            user=users[Role.OBSERVER], status=ObserverStatus.ACCREDITED)
        station = _station("KI0001-01")
        Assignment.objects.create(observer=observer, station=station, centre=station.centre)
    return {}


def _observation_dashboard_places(election, users) -> dict[str, object]:
    """Deployment, incidents, dashboards, statements: the coordinator's organisation (the
    one an earlier part made, if any) and the observer, an incident report of theirs with
    a photo, an assignment; another organisation's published statement."""
    from datetime import date

    from django.utils import timezone

    from shafaf.observation.models import (
        Alert,
        Assignment,
        Coordinator,
        EvidencePhoto,
        FormDefinition,
        Observer,
        ObserverStatus,
        Organisation,
        OrganisationStatus,
        Statement,
        Submission,
    )

    held = Coordinator.objects.filter(user=users[Role.CSO_COORDINATOR]).first()
    if held is None:
        organisation = Organisation.objects.create(
            election=election, name_ar="منظمة", contact_name="x", contact_email="x@example.org",
            status=OrganisationStatus.APPROVED, code="DASH-1")
        organisation.governorates.set(Governorate.objects.filter(code="IQ-KI"))
        held = Coordinator.objects.create(user=users[Role.CSO_COORDINATOR],
                                          organisation=organisation)
    observer = Observer.objects.filter(user=users[Role.OBSERVER]).first() or \
        Observer.objects.create(organisation=held.organisation, full_name="مراقب",
                                birth_date=date(1990, 1, 1), sex="F",
                                governorate=Governorate.objects.get(code="IQ-KI"),
                                user=users[Role.OBSERVER], status=ObserverStatus.ACCREDITED)
    station = _station("KI0002-01")
    assignment, _ = Assignment.objects.get_or_create(observer=observer, station=station,
                                                     centre=station.centre)
    form = FormDefinition.objects.filter(code="incident", organisation__isnull=True).first() \
        or FormDefinition.objects.create(code="incident", version=1, name_ar="حادث",
                                         questions=[{"id": "category", "type": "text",
                                                     "required": True, "label": {"ar": "x"}}])
    incident = Submission.objects.create(
        observer=observer, form=form, station=station,
        answers={"category": "violence", "severity": "critical", "description": "x"})
    # As many photos as a report may have: the observer's upload reaches the action,
    # which refuses a sixth (409), so that the table's run writes nothing.
    photo, *_more = [EvidencePhoto.objects.create(submission=incident, image=_png(),
                                                  content_type="image/png", width=4, height=2)
                     for _n in range(5)]
    Alert.objects.create(user=users[Role.CSO_COORDINATOR], submission=incident,
                         organisation_id=observer.organisation_id)
    public = Organisation.objects.create(
        election=election, name_ar="منظمة منشورة", contact_name="x",
        contact_email="x@example.org", status=OrganisationStatus.APPROVED, code="DASH-PUB")
    Statement.objects.create(organisation=public, text_ar="بيان", published=timezone.now())
    return {"dash_photo": photo.pk, "dash_report": incident.pk, "dash_org": public.code,
            "dash_observer": observer.pk, "dash_assignment": assignment.pk}


def _observation_pvt_places(election, users) -> dict[str, object]:
    """The PVT: another organisation's drawn sample of one Kirkuk station (made as rows:
    the coordinator's own organisation has none, so that its draw is allowed)."""
    from django.utils import timezone

    from shafaf.observation.models import Organisation, OrganisationStatus, PvtSample

    other = Organisation.objects.create(
        election=election, name_ar="منظمة العينة", contact_name="x",
        contact_email="x@example.org", status=OrganisationStatus.APPROVED, code="PVT-PUB")
    sample = PvtSample.objects.create(
        organisation=other, seed="1 2 3", seed_sha256="0" * 64, size=1,
        algorithm="shafaf-sample/1", frame=b"station_id,stratum\nKI0001-01,IQ-KI\n",
        frame_sha256="0" * 64, frame_size=1, strata={"IQ-KI": 1}, drawn_at=timezone.now())
    sample.stations.create(station=_station("KI0001-01"), stratum="IQ-KI", position=1,
                           ticket="0" * 64)
    return {"pvt_org": other.code, "pvt_sample": sample.pk}


def _observation_posted_places(election, users) -> dict[str, object]:
    """Posted result forms: the observer's copy of KI0002-01's posted form, with one
    difference already verified (against a publication this table does not make: a
    publication would change the results rows above, which are "before any")."""
    from django.utils import timezone

    from shafaf.observation.models import FormDefinition, Observer, PostedFinding, Submission

    observer = Observer.objects.get(user=users[Role.OBSERVER])
    report = Submission.objects.create(
        observer=observer, form=FormDefinition.objects.get(
            code="counting", version=2, organisation__isnull=True),
        station=_station("KI0002-01"),
        answers={"registered": 401, "voted": 301, "ballots_in_box": 300, "invalid": 10,
                 "valid": 291, "form_posted": True, "list_votes": {"1": 290}})
    PostedFinding.objects.create(
        organisation_id=observer.organisation_id, submission=report,
        station_id=report.station_id, item="voted", transcribed=301, published=300,
        manifest_sha256="c" * 64, state="verified", decided_at=timezone.now())
    return {"posted_report": report.pk}


def _observation_channel_places(election, users) -> dict[str, object]:
    """Notices, meetings, recommendations, awareness activities: the cso user
    coordinates an organisation in Kirkuk (another part's, if it made one); a national
    notice with an attachment and the Kirkuk office's; the Kirkuk office's meeting, not
    published, and Basra's, published, each with a document; a recommendation."""
    from datetime import date

    from shafaf.observation.channel_models import (
        Meeting,
        MeetingDocument,
        Notice,
        Recommendation,
    )
    from shafaf.observation.models import Coordinator, Organisation, OrganisationStatus

    kirkuk, basra = Governorate.objects.get(code="IQ-KI"), Governorate.objects.get(code="IQ-BA")
    held = Coordinator.objects.filter(user=users[Role.CSO_COORDINATOR]).first()
    if held is None:
        organisation = Organisation.objects.create(
            election=election, name_ar="منظمة", contact_name="x", contact_email="x@example.org",
            status=OrganisationStatus.APPROVED, code="CSO-CH")
        Coordinator.objects.create(user=users[Role.CSO_COORDINATOR], organisation=organisation)
    else:
        organisation = held.organisation
    organisation.governorates.add(kirkuk)
    pdf = b"%PDF-1.4\n%%EOF\n"
    national = Notice.objects.create(election=election, title_ar="تعميم", body_ar="نص",
                                     sent_by=users[Role.ADMIN], attachment=pdf,
                                     attachment_name="notice.pdf")
    office = Notice.objects.create(election=election, title_ar="تعميم", body_ar="نص",
                                   sent_by=users[Role.OFFICE_MANAGER], office=kirkuk)
    office.governorates.set([kirkuk])
    found: dict[str, object] = {"notice": national.pk, "notice_ki": office.pk,
                                "kirkuk": kirkuk.pk}
    for key, place, published in (("ki", kirkuk, False), ("ba", basra, True)):
        meeting = Meeting.objects.create(
            election=election, title_ar="مؤتمر", held=date(2023, 6, 1), place="x",
            office=place, topics="x", published=published, recorded_by=users[Role.ADMIN])
        found[f"meeting_{key}"] = meeting.pk
        found[f"document_{key}"] = MeetingDocument.objects.create(
            meeting=meeting, name="minutes.pdf", content=pdf, size=len(pdf)).pk
    found["recommendation"] = Recommendation.objects.create(
        organisation=organisation, title="x", text="x", topic="register",
        filed_by=users[Role.CSO_COORDINATOR]).pk
    return found


def _duplicate_groups(election) -> dict[str, object]:
    """A suspected duplicate in Kirkuk and one in Basra (the review queue's rows)."""
    from django.utils import timezone

    from shafaf.register.models import DuplicateGroup, DuplicateMember, Voter

    now, found = timezone.now(), {}
    for code, centre in (("ki", "KI0001"), ("ba", "BA0001")):
        at = PollingCentre.objects.get(election=election, code=centre)
        voters = [Voter.objects.create(
            voter_number=f"9{code}{n}", first_name="علي", father_name="حسن",
            grandfather_name="كاظم", family_name="", mother_name="زينب عباس", sex="M",
            birth_date="1980-01-0" + str(n), governorate_id=at.governorate_id, centre=at,
            sort_key=f"{code}{n}", created=now, updated=now) for n in (1, 2)]
        group = DuplicateGroup.objects.create(election=election, key=code, probability=0.999,
                                              found=now, governorate_id=at.governorate_id)
        DuplicateMember.objects.bulk_create(DuplicateMember(group=group, voter=v)
                                            for v in voters)
        found[f"dup_{code}"], found[f"dup_{code}_keep"] = group.pk, voters[0].pk
    return found


def _register_places() -> dict[str, object]:
    """The register's placeholders: a voter in a Kirkuk centre and one in Basra."""
    from django.utils import timezone

    from shafaf.register.models import Voter
    from shafaf.register.order import stored_sort_key

    found: dict[str, object] = {}
    for key, code, number in (("ki", "KI0001", "100000001"), ("ba", "BA0001", "200000001")):
        centre = PollingCentre.objects.get(code=code)
        now = timezone.now()
        Voter.objects.create(voter_number=number, first_name="أحمد", father_name="علي",
                             grandfather_name="حسين", family_name="", mother_name="فاطمة",
                             sex="M", birth_date="1980-01-01", governorate=centre.governorate,
                             centre=centre, sort_key=stored_sort_key("أحمد", "علي", "حسين", "",
                                                                     number),
                             created=now, updated=now)
        found[f"centre_{key}"], found[f"voter_{key}"] = centre.pk, number
    return found


def _campaign_requests(election) -> dict[str, object]:
    """A request of the update campaign in Kirkuk and one in Basra, just submitted."""
    from django.utils import timezone

    from shafaf.elections.models import RegistrationCentre
    from shafaf.register.models import CampaignRequest

    made = {}
    for key, code in (("campaign_request", "IQ-KI"), ("campaign_request_ba", "IQ-BA")):
        governorate = Governorate.objects.get(code=code)
        centre = RegistrationCentre.objects.create(code=f"{code}-R", governorate=governorate,
                                                   name_ar="مركز تسجيل")
        made[key] = CampaignRequest.objects.create(
            number=f"1000000{len(made)}00{len(made)}"[:11], election=election,
            kind="new_registration", registration_centre=centre, governorate=governorate,
            birth_year=1990, first_name="زينب", father_name="محمد", grandfather_name="جاسم",
            mother_name="مريم", sex="F", target_centre=PollingCentre.objects.filter(
                governorate=governorate).first(),
            submitted_at=timezone.now(), submitted_on=timezone.localdate()).pk
    return made


def _problems_file(user: User) -> str:
    with problem_files.recorded(user.pk) as recorded:
        Problems("stations.csv").add(2, "registered_voters", "required, but empty")
    return recorded.token


def _client_for(client, users, column: str):
    if column != ANONYMOUS:
        client.force_login(users[Role(column)])
    return client


def test_the_matrix_has_a_column_for_every_role():
    assert set(COLUMNS) == {ANONYMOUS} | {role.value for role in Role}


@pytest.mark.parametrize(("template", "column", "expected"), CASES)
def test_permission_matrix(client, users, places, template, column, expected):
    url = template.format(**places)
    client = _client_for(client, users, column)
    response = client.get(url)
    response.close()  # a streamed file, not read here

    if expected == "login":
        assert response.status_code == 302, url
        assert response["Location"] == f"/accounts/login/?next={quote(url)}"
    else:
        assert response.status_code == int(expected), (url, column, response.status_code)
    if url.startswith("/api/") and url != "/api/" and expected in ("401", "403", "404"):
        # The API refuses in JSON, in the same shape whatever the reason.
        assert response["Content-Type"].startswith("application/json")
        assert set(response.json()) == {"detail"}


# --- Writes: every URL that accepts a POST, and every step a page's POST can take ---------
#
# What a POST gives each column:
#   ok     allowed: it passes the permission check and reaches the action (200 with the
#          action's answer or its refusal, a redirect that is not to the login page, or the
#          API's 200/409)
#   login  a redirect to the login page
#   401    the API refuses a request without a session
#   403    signed in, but the role may not take this step
#   404    out of the user's reach (another entity's list, another governorate)
#   400    where the role may see the page: an unknown step, or a form that names an
#          object that does not exist (the step's form refuses it before any action)
# A POST that is refused writes nothing: no audit event, no row, no state changes.
# Placeholders as in MATRIX. Each row is "URL step": the step is the form's "step" field.
#
#                                          anon  admin mgr  clerk agent cso  obs  aud  board reg
WRITES: dict[str, str] = {
    # Public forms
    "/accounts/login/":                   "ok    ok    ok   ok    ok    ok   ok   ok   ok  ok",
    "/accounts/logout/":                  "ok    ok    ok   ok    ok    ok   ok   ok   ok  ok",
    "/accounts/password/":                "login ok    ok   ok    ok    ok   ok   ok   ok  ok",
    "/i18n/setlang/":                     "ok    ok    ok   ok    ok    ok   ok   ok   ok  ok",
    # Where do I vote: public; an empty form (here) is refused with 400 and writes
    # nothing (a failed lookup's count is tested in test_register_lookup.py)
    "/register/where/":                   "400   400   400  400   400   400  400  400  400 400",
    "/api/register/lookup":               "400   400   400  400   400   400  400  400  400 400",
    # Users and imports
    "/staff/users/":                      "login ok    403  403   403   403  403  403  403  403",
    "/staff/users/{user}/":               "login ok    403  403   403   403  403  403  403  403",
    "/staff/users/{user}/password/":      "login ok    403  403   403   403  403  403  403  403",
    # The two imports below reach the import, whose file (wrong on purpose here) is refused as
    # bad input: 400, and nothing written.
    "/staff/import/":                     "login 400   400  403   403   403  403  403  403  403",
    # A new election (administrator only): a well-formed one is set up
    "/staff/elections/new/":              "login ok    403  403   403   403  403  403  403  403",
    # The register's import queues a job (the file is checked by the job, not the page)
    "/staff/register/import/":            "login ok    403  403   403   403  403  403  403  403",
    # Entities: registration (administrator) and the agent's own lists
    "/staff/entities/":                   "login ok    403  403   403   403  403  403  403  403",
    "/staff/entities/{entity}/ approve":  "login ok    403  403   403   403  403  403  403  403",
    "/staff/entities/{entity}/ reject":   "login ok    403  403   403   403  403  403  403  403",
    "/staff/entities/{entity}/ agent":    "login ok    403  403   403   403  403  403  403  403",
    "/staff/entities/{entity}/ alliance":    "login ok    403  403   403   403  403  403  403  403",
    "/staff/entities/{entity}/ logo":     "login ok    403  403   403   403  403  403  403  403",
    "/staff/entities/{entity}/ remove_logo": "login ok    403  403   403   403  403  403  403  403",
    "/staff/entities/{entity}/ create_list": "login 403   403  403   ok    403  403  403  403  403",
    "/staff/entities/{entity}/ nonsense":    "login 400   400  400   400   403  403  400  400  400",
    # A list: its own entity's agent edits and submits; a reviewer certifies
    "/staff/nominations/{own_list}/ add":    "login 403   403  403   ok    403  403  403  403  403",
    "/staff/nominations/{own_list}/ remove": "login 403   403  403   400   403  403  403  403  403",
    "/staff/nominations/{own_list}/ upload": "login 403   403  403   ok    403  403  403  403  403",
    "/staff/nominations/{own_list}/ submit": "login 403   403  403   ok    403  403  403  403  403",
    "/staff/nominations/{own_list}/ withdraw_list":
                                          "login 403   403  403   ok    403  403  403  403  403",
    "/staff/nominations/{own_list}/ start_review":
                                          "login ok    ok   403   403   403  403  403  403  403",
    "/staff/nominations/{own_list}/ return_to_draft":
                                          "login ok    ok   403   403   403  403  403  403  403",
    "/staff/nominations/{own_list}/ certify":
                                          "login ok    ok   403   403   403  403  403  403  403",
    "/staff/nominations/{own_list}/ reject": "login ok    ok   403   403   403  403  403  403  403",
    "/staff/nominations/{own_list}/ nonsense":
                                          "login 400   400  400   400   403  403  400  400  400",
    "/staff/nominations/{other_list}/ submit":
                                          "login 403   404  404   404   403  403  403  403  404",
    "/staff/nominations/{other_list}/ certify":
                                          "login ok    404  404   404   403  403  403  403  404",
    # A candidate: reviewers check, approve, exclude and decide objections; the
    # administrator records the panel's ruling; the entity's agent appeals, withdraws
    # and substitutes. (The forms name no objection or appeal: 400 once allowed.)
    "/staff/candidates/{candidate}/ check":  "login ok    ok   403   403   403  403  403  403  403",
    "/staff/candidates/{candidate}/ approve":
                                          "login ok    ok   403   403   403  403  403  403  403",
    "/staff/candidates/{candidate}/ exclude":
                                          "login ok    ok   403   403   403  403  403  403  403",
    "/staff/candidates/{candidate}/ restore":
                                          "login ok    ok   403   403   403  403  403  403  403",
    "/staff/candidates/{candidate}/ decide_objection":
                                          "login 400   400  403   403   403  403  403  403  403",
    "/staff/candidates/{candidate}/ ruling": "login 400   403  403   403   403  403  403  403  403",
    "/staff/candidates/{candidate}/ appeal": "login 403   403  403   ok    403  403  403  403  403",
    "/staff/candidates/{candidate}/ withdraw":
                                          "login 403   403  403   ok    403  403  403  403  403",
    "/staff/candidates/{candidate}/ substitute":
                                          "login 403   403  403   ok    403  403  403  403  403",
    "/staff/candidates/{candidate}/ nonsense":
                                          "login 400   400  400   400   403  403  400  400  400",
    # Objections: the form names no open candidate (the fixture's lists are certified):
    # the form refuses it, 400.
    "/staff/objections/":                 "login 403   403  403   400   400  400  403  403  403",
    # The lottery: the administrator runs it, the Board signs it off
    "/staff/lottery/":                    "login ok    403  403   403   403  403  403  403  403",
    "/staff/lottery/{draw}/ seal":        "login ok    403  403   403   403  403  403  403  403",
    "/staff/lottery/{draw}/ close_reveals":  "login ok    403  403   403   403  403  403  403  403",
    "/staff/lottery/{draw}/ beacon":      "login ok    403  403   403   403  403  403  403  403",
    "/staff/lottery/{draw}/ run":         "login ok    403  403   403   403  403  403  403  403",
    "/staff/lottery/{draw}/ sign_off":    "login 403   403  403   403   403  403  403  ok  403",
    "/staff/lottery/{draw}/ correct":     "login 403   403  403   403   403  403  403  ok  403",
    "/staff/lottery/{draw}/ nonsense":    "login 400   403  403   403   403  403  403  400  403",
    # Posted without a governorate: bad input reaches the form, which answers 400.
    "/staff/lottery/supplementary/":      "login 400   403  403   403   403  403  403  403  403",
    # The draw is already run: a step reaches the action, which refuses it (200).
    "/staff/lottery/{draw}/my-part/ commit":  "login ok    403  403   ok    ok   ok   403  ok  403",
    "/staff/lottery/{draw}/my-part/ reveal":  "login ok    403  403   ok    ok   ok   403  ok  403",
    "/staff/lottery/{draw}/my-part/ nonsense":
                                          "login 400   403  403   400   400  400  403  400  403",
    # The ministries' replies to the external checks, from a file: reviewers
    "/staff/check-replies/":              "login 400   400  403   403   403  403  403  403  403",
    # Duplicate detection: the administrator starts a run (a job); reviewers decide,
    # within their governorate
    "/staff/register/duplicates/run/":    "login ok    403  403   403   403  403  403  403  403",
    "/staff/register/duplicates/{dup_ki}/ confirm":
                                          "login ok    ok   403   403   403  403  403  403  ok",
    "/staff/register/duplicates/{dup_ki}/ different":
                                          "login ok    ok   403   403   403  403  403  403  ok",
    "/staff/register/duplicates/{dup_ki}/ nonsense":
                                          "login 400   400  403   403   403  403  403  403  400",
    "/staff/register/duplicates/{dup_ba}/ confirm":
                                          "login ok    404  403   403   403  403  403  403  404",
    # The register: filling the stations (administrator), printing voter lists (export)
    "/staff/register/stations/":          "login ok    403  403   403   403  403  403  403  403",
    "/staff/register/centres/{centre_ki}/lists/":
                                          "login ok    ok   403   403   403  403  403  403  ok",
    "/staff/register/centres/{centre_ba}/lists/":
                                          "login ok    404  403   403   403  403  403  403  404",
    # Results: counting devices, transmissions, late stations
    # (an empty form: refused as bad input, 400, by those who may; the revocation of a
    # device that does not exist: 404; the transmission endpoint takes only JSON: 415,
    # not logged)
    "/staff/results/devices/":            "login 400   403  403   403   403  403  403  403  403",
    "/staff/results/devices/999999/revoke/":
                                          "login 404   403  403   403   403  403  403  403  403",
    "/staff/results/late/":               "login 400   403  403   403   403  403  403  403  403",
    "/api/results/transmissions":         "415   415   415  415   415   415  415  415  415  415",

    # Results: paper entry, twice, and the audit centre
    # (an empty entry form: 400 once allowed; the coordinator's resolutions of two
    # entries that differ; the audit centre's steps on a quarantined station)
    "/staff/results/entry/":              "login 400   403  400   403   403  403  403  403  403",
    "/staff/results/entry/{entry_task_ki}/ keep_first":
                                          "login ok    ok   403   403   403  403  403  403  403",
    "/staff/results/entry/{entry_task_ki}/ discard":
                                          "login ok    ok   403   403   403  403  403  403  403",
    "/staff/results/entry/{entry_task_ki}/ correct":
                                          "login 400   400  403   403   403  403  403  403  403",
    "/staff/results/entry/{entry_task_ki}/ nonsense":
                                          "login 400   400  403   403   403  403  403  403  403",
    "/staff/results/entry/{entry_task_ba}/ keep_second":
                                          "login ok    404  403   403   403  403  403  403  403",
    # The Board cancels a station held at the audit centre (an empty form: the page
    # says what is missing, nothing changes)
    "/staff/results/stations/{ki}/cancel/":
                                          "login 403   403  403   403   403  403  403  ok   403",
    "/staff/results/audit/{audit_result}/ recount":
                                          "login ok    403  403   403   403  403  403  403  403",
    "/staff/results/audit/{audit_result}/ clear":
                                          "login 400   403  403   403   403  403  403  403  403",
    "/staff/results/audit/{audit_result}/ nonsense":
                                          "login 400   403  403   403   403  403  403  403  403",

    # Results: complaints and appeals. Filing: the fixture's election polled in 2023, so
    # an allowed filer reaches the action, which refuses the late complaint (200); the
    # voter's public form, posted empty, is refused as bad input (400) before any lookup.
    # A complaint's steps: the Board classes and decides; the filer (the agent) and the
    # Panel's registry (the administrator) appeal; the administrator records the ruling;
    # the complaint is filed, so the action refuses every step but classing (200).
    "/staff/results/complaints/new/":     "login 403   403  403   ok    ok   ok   403  403  403",
    "/results/complaints/new/":           "400   400   400  400   400   400  400  400  400  400",
    "/staff/results/complaints/{complaint}/ class_red":
                                          "login 403   403  403   403   404  404  403  ok   403",
    "/staff/results/complaints/{complaint}/ class_yellow":
                                          "login 403   403  403   403   404  404  403  ok   403",
    "/staff/results/complaints/{complaint}/ class_green":
                                          "login 403   403  403   403   404  404  403  ok   403",
    "/staff/results/complaints/{complaint}/ dismiss":
                                          "login 403   403  403   403   404  404  403  ok   403",
    "/staff/results/complaints/{complaint}/ recount":
                                          "login 403   403  403   403   404  404  403  ok   403",
    "/staff/results/complaints/{complaint}/ cancel":
                                          "login 403   403  403   403   404  404  403  ok   403",
    "/staff/results/complaints/{complaint}/ appeal":
                                          "login ok    403  403   ok    404  404  403  403  403",
    "/staff/results/complaints/{complaint}/ uphold":
                                          "login ok    403  403   403   404  404  403  403  403",
    "/staff/results/complaints/{complaint}/ overturn":
                                          "login ok    403  403   403   404  404  403  403  403",
    "/staff/results/complaints/{complaint}/ nonsense":
                                          "login 400   400  400   400   404  404  400  400  403",
    "/staff/results/complaints/{complaint_ba}/ class_red":
                                          "login 403   404  404   404   404  403  403  ok   403",

    # Results: tabulation, certification, publication
    # (the Board certifies: refused while stations wait, which is still the action's
    # answer; the administrator publishes; scoped users never reach either)
    "/staff/results/tabulation/{election}/IQ-KI/certify/":
                                          "login 403   403  403   403   403  403  403  ok  403",
    "/staff/results/tabulation/{election}/IQ-KI/publish/":
                                          "login ok    403  403   403   403  403  403  403  403",

    # API
    # (one who may see the list but is not its entity's agent gets the API's 404)
    "/api/nominations/lists/{own_list}/submit":
                                          "401   404   404  404   ok    403  403  404  404  404",
    # The exhibition (none in the fixture's calendar: the public forms answer with the
    # page that says so); the office's decision on objection 999999, which does not exist;
    # the finalisation, with no exhibition to finalise
    "/register/exhibition/find/":         "ok    ok    ok   ok    ok    ok   ok   ok   ok  ok",
    "/register/exhibition/object/":       "ok    ok    ok   ok    ok    ok   ok   ok   ok  ok",
    "/staff/register/objections/999999/ uphold":
                                          "login 404   404  403   403   403  403  403  403  403",
    "/staff/register/finalise/":          "login 404   403  403   403   403  403  403  403  403",
    # The update campaign: entering (register officer), the steps, the bulk removal of the
    # deceased (a file with an unknown voter: refused as bad input, 400), the public check
    "/staff/register/requests/new/":      "login 400   403  403   403   403  403  403  403  400",
    "/staff/register/requests/{campaign_request}/ verify":
                                          "login ok    403  403   403   403  403  403  403  ok",
    "/staff/register/requests/{campaign_request}/ approve":
                                          "login ok    ok   403   403   403  403  403  403  403",
    "/staff/register/requests/{campaign_request}/ reject":
                                          "login 400   400  403   403   403  403  403  403  403",
    "/staff/register/requests/{campaign_request}/ apply":
                                          "login 400   400  403   403   403  403  403  403  403",
    "/staff/register/requests/{campaign_request}/ nonsense":
                                          "login 400   400  403   403   403  403  403  403  400",
    "/staff/register/requests/{campaign_request_ba}/ approve":
                                          "login ok    404  403   403   403  403  403  403  404",
    "/staff/register/requests/remove-deceased/":
                                          "login 400   400  403   403   403  403  403  403  403",
    "/register/request-status/":          "ok    ok    ok   ok    ok    ok   ok   ok   ok  ok",
    "/api/register/requests/status":      "422   422   422  422   422   422  422  422  422  422",
    "/api/nominations/lists/{other_list}/submit":
                                          "401   404   404  404   404   403  403  404  404  404",
    # Observation: each part adds its writes in its own block.
    # Observation: accreditation, badges
    # (the application is public; an agent registers their entity's agents (the
    # coordinator, who already acts for an organisation, is refused with a message);
    # a coordinator submits observers, gives them a password, withdraws them; the
    # accreditation staff decide; the observer accepts the code of conduct)
    "/observation/apply/":                "ok    ok    ok   ok    ok    ok   ok   ok   ok  ok",
    "/staff/observation/organisations/{org_applied}/ approve":
                                          "login ok    403  403   403   403  403  403  403  403",
    "/staff/observation/organisations/{org_applied}/ reject":
                                          "login ok    403  403   403   403  403  403  403  403",
    "/staff/observation/organisations/{org_applied}/ nonsense":
                                          "login 400   403  403   403   403  403  403  403  403",
    "/staff/observation/agents/":         "login 403   403  403   ok    ok   403  403  403  403",
    # Queue the organisation's badges PDF (the staff name the organisation: 404 without)
    "/staff/observation/badges.pdf":      "login 404   403  403   404   ok   403  403  403  403",
    "/staff/observation/observers/ add":  "login 403   403  403   403   ok   403  403  403  403",
    "/staff/observation/observers/ upload":  "login 403 403  403   403   400  403  403  403  403",
    "/staff/observation/observers/ nonsense":  "login 403 403 403   403   400  403  403  403  403",
    "/staff/observation/observers/{cso_observer}/ photo":
                                          "login 403   403  403   404   ok   403  403  403  403",
    "/staff/observation/observers/{cso_observer}/ password":
                                          "login 403   403  403   404   ok   403  403  403  403",
    "/staff/observation/observers/{cso_observer}/ revoke":
                                          "login ok    403  403   404   ok   403  403  403  403",
    "/staff/observation/observers/{other_observer}/ revoke":
                                          "login ok    403  403   404   404  403  403  403  403",
    "/staff/observation/observers/{cso_observer}/ nonsense":
                                          "login 400   403  403   404   400  403  403  403  403",
    "/staff/observation/accreditation/ accredit":
                                          "login ok    403  403   403   403  403  403  403  403",
    "/staff/observation/accreditation/ refuse":
                                          "login ok    403  403   403   403  403  403  403  403",
    "/staff/observation/accreditation/ nonsense":
                                          "login 400   403  403   403   403  403  403  403  403",
    "/observe/conduct/":                  "login 403   403  403   403   403  ok   403  403  403",
    # Observation: forms, submissions, the API, quality
    "/staff/observation/forms/new/":      "login 403   403  403   403   ok   403  403  403  403",
    "/staff/observation/forms/opening/new-version/":
                                          "login 403   403  403   403   ok   403  403  403  403",
    "/staff/observation/submissions/ verify":
                                          "login 403   403  403   403   ok   403  403  403  403",
    "/staff/observation/submissions/{obs_report}/ reject":
                                          "login 403   403  403   403   ok   403  403  403  403",
    # Without SHAFAF_SMS_SECRET set the webhook refuses every message
    "/api/observation/sms":               "403   403   403  403   403   403  403  403  403  403",
    # Observation: the phone app offline, SMS
    # A report is JSON: this table's form-encoded body reaches the observer's endpoint
    # and is refused as malformed (400, nothing stored); JSON reports are tested in
    # tests/observation/test_api.py.
    "/api/observation/submissions":       "401   403   403  403   403   403  400  403  403  403",
    # Observation: deployment, incidents, dashboards, public page, statement
    # (the coordinator deploys, removes, reads alerts, publishes; an observer adds a photo
    # to their own incident report: it has its five already, so 409)
    "/staff/observation/deployment/ assign": "login 403 403  403   403   ok   403  403  403  403",
    "/staff/observation/deployment/ remove": "login 403 403  403   403   ok   403  403  403  403",
    "/staff/observation/deployment/ nonsense":
                                          "login 403   403  403   403   400  403  403  403  403",
    "/staff/observation/alerts/ read":    "login 403   403  403   403   ok   403  403  403  403",
    "/staff/observation/statement/":      "login 403   403  403   403   ok   403  403  403  403",
    "/api/observation/submissions/{dash_report}/photos":
                                          "401   403   403  403   403   403  ok   403  403  403",
    # Observation: posted result forms (the coordinator publishes the verified
    # differences; a verify or dismiss reaches the action, which finds no difference to
    # decide, 400, as nothing is published here: tests/observation/test_posted.py
    # decides real ones)
    "/staff/observation/posted/ verify":  "login 403   403  403   403   400  403  403  403  403",
    "/staff/observation/posted/ dismiss": "login 403   403  403   403   400  403  403  403  403",
    "/staff/observation/posted/ publish": "login 403   403  403   403   ok   403  403  403  403",
    "/staff/observation/posted/ nonsense":
                                          "login 403   403  403   403   400  403  403  403  403",
    # Observation: the PVT sample (the coordinator's organisation has none drawn: assign
    # is refused, 409; {pvt_sample} is another organisation's: discarding it is a 404)
    "/staff/observation/pvt/ preview":    "login 403   403  403   403   ok   403  403  403  403",
    "/staff/observation/pvt/ draw":       "login 403   403  403   403   ok   403  403  403  403",
    "/staff/observation/pvt/ assign":     "login 403   403  403   403   ok   403  403  403  403",
    "/staff/observation/pvt/ confirm_discard":
                                          "login 403   403  403   403   404  403  403  403  403",
    "/staff/observation/pvt/ discard":    "login 403   403  403   403   404  403  403  403  403",
    "/staff/observation/pvt/ nonsense":   "login 403   403  403   403   400  403  403  403  403",
    # Observation: the channel with the commission
    "/staff/observation/notices/new/":    "login ok    ok   403   403   403  403  403  403  403",
    "/staff/observation/meetings/new/":   "login ok    ok   403   403   403  403  403  403  403",
    "/staff/observation/meetings/{meeting_ki}/ save":
                                          "login ok    ok   403   403   403  403  403  403  403",
    "/staff/observation/meetings/{meeting_ki}/ document":
                                          "login ok    ok   403   403   403  403  403  403  403",
    "/staff/observation/meetings/{meeting_ki}/ nonsense":
                                          "login 400   400  403   403   403  403  403  403  403",
    "/staff/observation/meetings/{meeting_ba}/ save":
                                          "login ok    404  403   403   403  403  403  403  403",
    "/staff/observation/recommendations/":
                                          "login 403   403  403   403   ok   403  403  403  403",
    "/staff/observation/recommendations/{recommendation}/answer/":
                                          "login ok    ok   403   403   403  403  403  403  403",
    "/staff/observation/awareness/":      "login 403   403  403   403   ok   403  403  403  403",
}


def _png() -> bytes:
    """A real logo, so that a role allowed to replace one reaches the action."""
    out = io.BytesIO()
    Image.new("RGB", (4, 2), (0x1f, 0x6f, 0x3a)).save(out, format="PNG")
    return out.getvalue()


def _payload(template: str, step: str, places: dict[str, object]) -> dict[str, object]:
    """A well-formed form for each write, so that an allowed role reaches the action."""
    forms: dict[str, dict[str, object]] = {
        "/accounts/login/": {"username": "nobody", "password": "wrong-password"},
        "/i18n/setlang/": {"language": "en", "next": "/"},
        "/staff/users/": {"username": "mallory", "password": "a-long-passphrase-9",
                          "role": Role.ADMIN.value},
        "/staff/users/{user}/": {"role": Role.ADMIN.value, "is_active": "on"},
        "/accounts/password/": {"old_password": PASSWORD, "new_password1": "a-new-passphrase-9",
                                "new_password2": "a-new-passphrase-9"},
        "/staff/users/{user}/password/": {"new_password1": "a-new-passphrase-9",
                                          "new_password2": "a-new-passphrase-9"},
        "/staff/import/": {"what": "stations", "election": places["election_id"],
                           "file": SimpleUploadedFile("s.csv", b"station_code\nKI9999-01\n")},
        "/staff/elections/new/": {"code": "mallory-2030", "name_ar": "انتخابات تجريبية",
                                  "kind": "kurdistan_parliament", "law": "krg-2024",
                                  "polling_day": "2030-10-20"},
        "/staff/register/import/": {"what": "voters", "election": places["election_id"],
                                    "file": SimpleUploadedFile("r.csv", b"voter_number\n")},
        "/staff/entities/": {"election": places["election_id"], "kind": "party",
                             "code": "mallory", "name_ar": "حزب"},
        "/staff/lottery/": {"election": places["election_id"], "numbers": "1-10",
                            "beacon": "a round", "confirm": "on"},
        "/staff/lottery/supplementary/": {"election": places["election_id"], "confirm": "on",
                                          "beacon": "a round"},
        "/staff/register/stations/": {"election": places["election"], "confirm": "on"},
        "/staff/register/centres/{centre_ki}/lists/": {"kind": "posted"},
        "/staff/register/centres/{centre_ba}/lists/": {"kind": "posted"},
        "/staff/register/requests/remove-deceased/": {
            "election": places["election_id"], "confirm": "on", "file": SimpleUploadedFile(
                "d.csv", b"voter_number,death_date,reference\nNOPE,2023-01-01,x\n")},
        "/register/request-status/": {"number": "10000000000", "birth_year": 1990},
        "/staff/results/tabulation/{election}/IQ-KI/publish/": {"stage": "preliminary"},
        "/staff/results/complaints/new/": {"election": places["election_id"],
                                           "place": "KI0001-01", "ground": "count_error",
                                           "statement": "x"},
        # Observation: the channel with the commission
        "/staff/observation/notices/new/": {
            "election": places["election_id"], "title_ar": "تعميم", "body_ar": "نص",
            "attachment": SimpleUploadedFile("n.pdf", b"%PDF-1.4\n%%EOF\n")},
        "/staff/observation/recommendations/": {"title": "x", "text": "x",
                                                "topic": "register"},
        "/staff/observation/recommendations/{recommendation}/answer/": {
            "status": "adopted", "answer": "x"},
        "/staff/observation/awareness/": {"held": "2023-05-01", "governorate": places["kirkuk"],
                                          "kind": "workshop",
                                          "audience": "young", "reach": 40},
        "/staff/check-replies/": {"file": SimpleUploadedFile(
            "r.csv", f"candidate_id,check,outcome,document\n{places['candidate']},degree,"
                     "cleared,x\n".encode())},
    }
    steps: dict[str, dict[str, object]] = {
        "reject": {"reason": "x"}, "agent": {"user": places["user"]}, "alliance": {},
        "create_list": {"contest": places["contest"]},
        "logo": {"logo": SimpleUploadedFile("logo.png", _png())},
        "add": {"position": 99, "name_ar": "مرشح", "surname_ar": "الجبوري",
                "mother_name_ar": "فاطمة", "sex": "F", "date_of_birth": "1970-01-01",
                "education": "bachelor"},
        "remove": {"candidate": 0},
        "upload": {"file": SimpleUploadedFile("list.csv", b"position\n")},
        "withdraw_list": {"reason": "x"}, "return_to_draft": {"reason": "x"},
        "check": {"kind": "degree", "outcome": "cleared", "document": "x"},
        "exclude": {"reasons": ["other"], "note": "x"},
        "decide_objection": {"objection": 0, "upheld": "yes", "reason": "x"},
        "ruling": {"appeal": 0, "upheld": "yes", "reference": "x"},
        "appeal": {"grounds": "x"}, "withdraw": {"reason": "x"},
        "substitute": {"name_ar": "مرشحة", "surname_ar": "الجبوري", "mother_name_ar": "فاطمة",
                       "sex": "F", "date_of_birth": "1970-01-01", "education": "bachelor"},
        "seal": {"seal-confirm": "on"}, "close_reveals": {"close_reveals-confirm": "on"},
        "commit": {"commit-commitment": "a" * 64},
        "reveal": {"reveal-value": "4", "reveal-nonce": "n" * 16},
        "beacon": {"beacon-value": "x"}, "run": {"run-confirm": "on"},
        "sign_off": {"sign_off-confirm": "on"},
        "correct": {"correct-reason": "x", "correct-numbers": "1-10",
                    "correct-beacon": "another round", "correct-confirm": "on"},
    }
    if template == "/staff/observation/deployment/":  # observation: deployment
        return {"step": step, "observer": places["dash_observer"], "code": "KI0003",
                "assignment": places["dash_assignment"]}
    if template == "/staff/observation/alerts/":
        return {"step": step}
    if template == "/staff/observation/statement/":
        return {"text_ar": "بيان المنظمة"}
    if template == "/staff/observation/posted/":  # observation: posted result forms
        return {"step": step, "report": str(places["posted_report"]), "item": "valid",
                "reason": "x"}
    if template == "/staff/observation/pvt/":  # observation: the PVT sample
        return {"step": step, "seed": "12 34 56", "size": 2, "sample": places["pvt_sample"]}
    if template == "/api/observation/submissions/{dash_report}/photos":
        return {"photo": SimpleUploadedFile("p.png", _png(), content_type="image/png")}
    if template.startswith(("/staff/observation/organisations/", "/staff/observation/agents/",
                            "/staff/observation/observers/",
                            "/staff/observation/accreditation/")) or template in (
            "/observation/apply/", "/observe/conduct/"):  # observation: accreditation
        return _observation_accreditation_payload(template, step, places)
    if template == "/staff/observation/submissions/":  # observation: a verdict on a selection
        return {"step": step, "reason": "x", "selected": [str(places["obs_report"])]}
    if template == "/staff/observation/forms/new/":
        return {**_observation_form_rows("opening"), "code": "mallory_form"}
    if template == "/staff/observation/forms/opening/new-version/":
        return _observation_form_rows("opening")
    if template.startswith("/staff/results/complaints/{"):  # a complaint's steps
        return {"step": step, "reason": "x", "grounds": "x", "ruling": "x"}
    if template == "/staff/objections/":
        return {"candidate": 0, "grounds": "x"}
    if template.startswith("/staff/observation/meetings/"):  # observation: the channel
        meeting = {"election": places["election_id"], "title_ar": "اجتماع", "held": "2023-06-01",
                   "place": "x", "topics": "x"}
        document = {"document": SimpleUploadedFile("d.pdf", b"%PDF-1.4\n%%EOF\n")}
        return {"step": step, **meeting, **(document if step == "document" else {})}
    if template.startswith("/staff/register/duplicates/"):
        keep = places["dup_ba_keep" if "{dup_ba}" in template else "dup_ki_keep"]
        return {"/staff/register/duplicates/run/": {"election": places["election_id"]},
                }.get(template, {"step": step, "keep": keep, "sure": "on", "reason": "x"})
    if step:
        return {"step": step, **steps.get(step, {})}
    return forms.get(template, {})


def _state() -> tuple[object, ...]:
    """Everything a write could change: the audit chain, the rows of every Shafaf
    table, and the states that steps move."""
    counts = tuple(model.objects.count() for model in apps.get_models()
                   if model.__module__.startswith("shafaf."))
    return (head().seq if AuditEvent.objects.exists() else None, counts,
            tuple(User.objects.order_by("pk").values_list("role", "is_active")),
            tuple(NominationList.objects.order_by("pk").values_list("status", flat=True)),
            tuple(Candidate.objects.order_by("pk").values_list("status", flat=True)),
            tuple(LotteryDraw.objects.order_by("pk").values_list("status", "seed_parts")),
            tuple(Entity.objects.order_by("pk").values_list("status", "alliance_id",
                                                            "logo_type")))


def _answer(response) -> str:
    """The column's code for a response, in the notation of WRITES."""
    if response.status_code == 302:
        return "login" if response["Location"].startswith("/accounts/login/") else "ok"
    if response.status_code in (200, 409):
        return "ok"
    return str(response.status_code)


@pytest.mark.parametrize(("row", "expected"), list(WRITES.items()), ids=list(WRITES))
def test_every_write_is_allowed_or_refused_as_the_table_says(users, places, row, expected):
    template, _, step = row.partition(" ")
    url = template.format(**places)
    found: dict[str, str] = {}
    for column in COLUMNS:
        with transaction.atomic():  # each column starts from the same state
            client = _client_for(Client(), users, column)
            before = _state()
            response = client.post(url, _payload(template, step, places))
            found[column] = _answer(response)
            if found[column] not in ("ok",):
                assert _state() == before, f"a refused POST changed data: {row} {column}"
            transaction.set_rollback(True)
    assert " ".join(found[c] for c in COLUMNS) == " ".join(expected.split()), row


# Pages and endpoints that only read but do not refuse a POST (Django's function views
# answer any method): a POST to them must write nothing, whoever sends it.
READS_ANSWERING_POST = {
    "/", "/audit/", "/lottery/verify/", "/staff/", "/staff/stations/", "/staff/stations/{ki}/",
    "/staff/stations/{ba}/", "/staff/geography/", "/staff/audit/", "/api/", "/api/docs",
    "/api/openapi.json", "/candidates/", "/candidates/{election}/IQ-KI/",
    "/candidates/{election}/candidates.csv", "/candidates/{election}/nist.json",
    "/lottery/{election}/", "/lottery/{election}/projector/",
    "/lottery/{election}/transcript.json",
    "/staff/nominations/{own_list}/template.csv", "/staff/check-replies/awaited.csv",
    # The register's voter search: a POST keeps names out of URLs; it only reads.
    "/staff/register/voters/",
}


def _route(template: str, places: dict[str, object]) -> str:
    try:
        return resolve(template.format(**places)).route
    except Resolver404:
        return template  # /api/ has no route of its own


def test_every_url_that_accepts_a_post_is_in_the_write_table(users, places):
    """POST to every URL as the administrator: one that does not answer 405 accepts a
    POST, and must have its rows in WRITES or be a read that writes nothing (a new form
    fails here until it is in the table)."""
    admin = _client_for(Client(), users, "admin")
    in_table = {_route(row.partition(" ")[0], places) for row in WRITES}
    reads = {_route(template, places) for template in READS_ANSWERING_POST}
    accepting = set()
    for template in (*MATRIX, *(f"/{route}" for route in NOT_IN_MATRIX)):
        with transaction.atomic():
            if admin.post(template.format(**places)).status_code != 405:
                accepting.add(_route(template, places))
            transaction.set_rollback(True)
    assert accepting == in_table | reads, (
        f"accept a POST but have no row: {sorted(accepting - in_table - reads)}; "
        f"rows for URLs that refuse POST: {sorted((in_table | reads) - accepting)}")


@pytest.mark.parametrize("column", COLUMNS)
def test_a_post_to_a_page_that_only_reads_writes_nothing(users, places, column):
    client = _client_for(Client(), users, column)
    before = _state()
    for template in sorted(READS_ANSWERING_POST):
        response = client.post(template.format(**places), {"step": "certify", "role": "admin"})
        assert response.status_code != 500, template
        assert _state() == before, template


def _walk(patterns, prefix: str = ""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            assert isinstance(pattern, URLPattern)
            yield prefix + str(pattern.pattern)


def test_every_url_pattern_has_a_permission_decision():
    """A new page or endpoint fails here until it has a row in MATRIX."""
    every_route = set(_walk(get_resolver().url_patterns))
    sample = {"ki": 1, "ba": 2, "user": 3, "seq": 4, "election": "gc-2023", "election_id": 5,
              "entity": 6, "own_list": 7, "other_list": 8, "candidate": 9, "draw": 10,
              "problems": "A" * 22, "job": 11,
              "dup_ki": 12, "dup_ba": 13, "campaign_request": 14, "campaign_request_ba": 15}
    sample |= {"centre_ki": 11, "centre_ba": 12, "voter_ki": "1", "voter_ba": "2"}
    sample |= {"complaint": 19, "complaint_ba": 20}
    sample |= {"entry_task_ki": 16, "entry_task_ba": 17, "audit_result": 18}  # results: entry
    # Observation: each part adds its placeholders' sample values on its own line.
    sample |= {"notice": 31, "notice_ki": 32, "meeting_ki": 33, "meeting_ba": 34,
               "document_ki": 35, "document_ba": 36, "recommendation": 37}  # the channel
    sample |= {"org_applied": 21, "cso_observer": 22, "other_observer": 23, "badge_code": "X"}
    sample |= {"dash_photo": 21, "dash_report": "0" * 8 + "-0000-0000-0000-" + "0" * 12, "dash_org": "CSO-1"}  # noqa: E501 (dash)
    sample |= {"obs_report": "00000000-0000-4000-8000-000000000001"}  # forms, quality
    sample |= {"pvt_org": "CSO-1"}  # the PVT sample
    covered = {resolve(template.format(**sample)).route for template in MATRIX}
    assert covered | NOT_IN_MATRIX == every_route, (
        f"no permission decision for {sorted(every_route - covered - NOT_IN_MATRIX)}; "
        f"stale rows for {sorted((covered | NOT_IN_MATRIX) - every_route)}")


# --- Scope: what a Kirkuk user sees in lists ------------------------------------------

KIRKUK_CODES = {f"KI{c:04d}-{n:02d}" for c in range(1, 4) for n in range(1, 5)}
BASRA_CODES = {f"BA{c:04d}-{n:02d}" for c in range(1, 3) for n in range(1, 6)}
SCOPED = (Role.OFFICE_MANAGER, Role.CLERK, Role.REGISTER_OFFICER)
NATIONAL = tuple(role for role in Role if role not in SCOPED)


def _codes_in(html: str) -> set[str]:
    """Station codes shown as rows (links), not the search term echoed in the form."""
    return set(re.findall(r">([A-Z]{2}\d{4}-\d{2})</a>", html))


@pytest.mark.parametrize("role", SCOPED)
@pytest.mark.parametrize("query", ["", "?governorate=IQ-BA", "?q=BA0001", "?q=BA",
                                   "?governorate=IQ-BA&q=BA0002-01", "?page=2"])
def test_station_list_page_never_shows_another_governorate(client, stations, users, role,
                                                           query):
    client.force_login(users[role])
    response = client.get(f"/staff/stations/{query}")
    assert response.status_code == 200
    found = _codes_in(response.content.decode())
    assert not found & BASRA_CODES
    assert not {s.code for s in response.context["rows"]} & BASRA_CODES
    if query in ("", "?page=2"):  # 12 stations: one page, and ?page=2 shows the last page
        assert found == KIRKUK_CODES


@pytest.mark.parametrize("role", NATIONAL)
def test_station_list_page_shows_every_governorate_to_national_roles(client, stations, users,
                                                                     role):
    client.force_login(users[role])
    html = client.get("/staff/stations/").content.decode()
    assert _codes_in(html) == KIRKUK_CODES | BASRA_CODES
    basra = client.get("/staff/stations/?governorate=IQ-BA").content.decode()
    assert _codes_in(basra) == BASRA_CODES


@pytest.mark.parametrize("role", SCOPED)
def test_geography_and_dashboard_count_only_the_users_governorate(client, stations, users,
                                                                  role):
    client.force_login(users[role])
    geography = client.get("/staff/geography/")
    assert [g.code for g in geography.context["governorates"]] == ["IQ-KI"]
    assert "IQ-BA" not in geography.content.decode()
    dashboard = client.get("/staff/")
    assert dashboard.context["figures"] == {
        "governorates": 1, "centres": 3, "stations": 12,
        "voters": sum(400 + n for n in range(1, 5)) * 3}


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("query", ["", "?governorate=IQ-BA", "?q=BA", "?page=1"])
def test_api_station_list_is_scoped(client, stations, users, role, query):
    client.force_login(users[role])
    response = client.get(f"/api/elections/stations/list{query}")
    assert response.status_code == 200
    body = response.json()
    codes = {item["code"] for item in body["items"]}
    assert body["count"] == len(codes)
    visible = KIRKUK_CODES if role in SCOPED else KIRKUK_CODES | BASRA_CODES
    wanted = BASRA_CODES if query in ("?governorate=IQ-BA", "?q=BA") else visible
    assert codes == visible & wanted
    if role in SCOPED:
        assert {item["governorate"] for item in body["items"]} <= {"IQ-KI"}


@pytest.mark.parametrize("role", SCOPED)
def test_scoped_user_gets_the_same_404_for_another_governorate_as_for_nothing(
        client, stations, users, role):
    """Out of scope and non-existent must be indistinguishable."""
    client.force_login(users[role])
    basra = _station("BA0001-01").pk
    missing = PollingStation.objects.order_by("-pk").first().pk + 1000
    for template in ("/staff/stations/{}/", "/api/elections/stations/{}"):
        out_of_scope, absent = (client.get(template.format(pk)) for pk in (basra, missing))
        assert out_of_scope.status_code == absent.status_code == 404
        assert _unvarying(out_of_scope.content) == _unvarying(absent.content)


def _unvarying(page: bytes) -> bytes:
    """A page without what differs between any two responses: the CSRF token (masked
    afresh each time) and the address the language switcher returns to."""
    page = re.sub(rb'name="csrfmiddlewaretoken" value="[^"]*"', b"", page)
    return re.sub(rb'name="next" type="hidden" value="[^"]*"', b"", page)


def test_staff_user_page_for_a_missing_user_is_404_for_admin(client, users):
    client.force_login(users[Role.ADMIN])
    missing = User.objects.order_by("-pk").first().pk + 1000
    assert client.get(f"/staff/users/{missing}/").status_code == 404


def test_a_deactivated_users_session_stops_working(client, stations, users):
    clerk = users[Role.CLERK]
    client.force_login(clerk)
    assert client.get("/staff/stations/").status_code == 200
    User.objects.filter(pk=clerk.pk).update(is_active=False)
    assert client.get("/staff/stations/").status_code == 302
    assert client.get("/api/elections/stations/list").status_code == 401


def test_a_role_change_takes_effect_on_the_next_request(client, users):
    auditor = users[Role.AUDITOR]
    client.force_login(auditor)
    assert client.get("/staff/audit/").status_code == 200
    User.objects.filter(pk=auditor.pk).update(role=Role.OBSERVER)
    assert client.get("/staff/audit/").status_code == 403
    assert client.get("/api/audit/events").status_code == 403


# --- Query counts ---------------------------------------------------------------------

def _more_stations(election, centres: int, per_centre: int) -> None:
    kirkuk = Governorate.objects.get(code="IQ-KI")
    sub = District.objects.get(code="IQ-KI-D1").sub_districts.get()
    for c in range(100, 100 + centres):
        centre = PollingCentre.objects.create(
            election=election, code=f"KI{c:04d}", name_ar=f"مدرسة {c}", name_en=f"School {c}",
            sub_district=sub, governorate=kirkuk)
        PollingStation.objects.bulk_create(
            PollingStation(centre=centre, number=n, code=f"{centre.code}-{n:02d}")
            for n in range(1, per_centre + 1))


@pytest.mark.parametrize("role", [Role.ADMIN, Role.CLERK])
def test_station_list_queries_do_not_grow_with_the_stations(
        client, stations, users, role, django_assert_max_num_queries):
    client.force_login(users[role])
    with django_assert_max_num_queries(6) as few:
        assert client.get("/staff/stations/").status_code == 200
    _more_stations(stations, centres=6, per_centre=10)  # now more than one page
    with django_assert_max_num_queries(6) as many:
        response = client.get("/staff/stations/")
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 50
    assert len(many) == len(few)


def test_api_station_list_queries_do_not_grow_with_the_stations(
        client, stations, users, django_assert_max_num_queries):
    client.force_login(users[Role.ADMIN])
    with django_assert_max_num_queries(6) as few:
        assert client.get("/api/elections/stations/list").status_code == 200
    _more_stations(stations, centres=6, per_centre=10)
    with django_assert_max_num_queries(6) as many:
        response = client.get("/api/elections/stations/list")
    assert len(response.json()["items"]) == 50
    assert len(many) == len(few)
