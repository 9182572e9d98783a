"""Freight brokerage (LOGISTICS and TRANSPORT ventures): customers, carriers, loads, quotes,
outreach, and the FreightKpiDaily aggregate.

``services`` holds the use cases (writes), ``queries`` the reads, ``transitions`` the state
machines, ``kpi`` the aggregate, ``access`` the scope rules, ``events`` the domain events and
``handlers`` what freight does when they happen.
"""
