"""The router of the drawings as it was before it was made fast, kept verbatim (but for this paragraph).

:mod:`tests.test_route_speed` holds the library's router to the very drawings this one gives.

Lines that can be traced: each link routed around the boxes it does not join.

Every box is placed before any line is drawn; :func:`route` then draws each link that joins
two elements (a brake to its stage, a facilitator to what it answers, the backstage's links)
as a line of horizontal and vertical runs on a grid of :data:`PITCH` points:

- a line never enters a box it does not join, nor comes nearer than :data:`MARGIN` to one;
- two lines never run along the same stretch: a grid cell a line runs through horizontally
  is closed to other horizontal runs (and so vertically), and a cell where a line turns, or
  ends, is closed to every other line. Lines may cross, at right angles;
- the lines laid before (the cycle's arcs, the emotion curves, the legend's samples) are
  crossed, never followed;
- a line leaves its tail and reaches its head at right angles to a side of the box, each at
  a cell of its own, so that lines meeting at a box arrive side by side.

A line with a single turn between the nearest ends is tried first; where none keeps these
rules, an A* search over (cell, direction), a turn costing more than a step and a crossing a
little more, finds one. The shortest links are routed first; everything is in document order,
so the drawing is deterministic. A link for which no line is found (no room left) keeps its
straight line.

The line is written into the link as the edge's ``pos`` (its points as a B-spline, and where
its arrowhead ends): the ``nop2`` engine draws an edge that has one along it, as given, so
``dot -Tsvg`` draws the DOT source as usager laid it out, and the graph keeps one edge per link.
"""

from __future__ import annotations

import heapq
import itertools
import math

from usager.exporters._drawing.scene import STYLE, Box, Group

__all__ = ["MARGIN", "PITCH", "ROUTED", "route"]

#: The relations whose links are routed; the others are drawn as they were laid out.
ROUTED = frozenset({"holds", "addresses", "eases", "uses", "performs", "provides", "dangling", "answers"})
#: The grid's step, in points: the distance between two lines running side by side.
PITCH = 7.0
#: The room kept clear round a box, in points.
MARGIN = 3.0

_Ends = dict[int, tuple[int, float, tuple[int, ...], tuple[float, float]]]
_H, _V, _X = 1, 2, 4  # a cell's flags: run through horizontally, vertically, closed
_BEND, _CROSS = 3.0, 0.5  # the cost of a turn and of a crossing, in steps
_GREED = 3.0  # the weight of the distance still to go: above 1, a line hardly longer is found much sooner
_TRIES, _NEAREST = 24, 8  # pairs of ends tried for a line with one turn, before the search; from the nearest ends
_BUDGET = 200_000  # expansions per line before giving up
_RINGS, _RING_COST = 3, 4.0  # how far from a box (in cells) a line may start or end, and what each ring costs
_ARROW = 7.0  # the length of an arrowhead (arrowsize 0.7), in points
#: For shapes whose sides are not straight all along, the share of each side (top, bottom, left
#: and right) that is.
_SIDES = {
    "octagon": (0.5, 0.5, 0.4), "house": (0.15, 1.0, 0.4), "cylinder": (0.6, 0.6, 0.6), "note": (0.8, 0.8, 0.8),
}  # fmt: skip


class _Grid:
    """The cells of the drawing: which box owns each, and which lines use it."""

    def __init__(self, group: Group) -> None:
        left, bottom, right, top = group.bounds()
        pad = PITCH * 4
        self.x0, self.y0 = left - pad, bottom - pad
        self.nx = math.ceil((right - left + 2 * pad) / PITCH) + 1
        self.ny = math.ceil((top - bottom + 2 * pad) / PITCH) + 1
        size = self.nx * self.ny
        self.owner = [-1] * size  # -1: free; -2: near two boxes; else the box's number
        self.flags = bytearray(size)
        self.boxes = [b for b in group.boxes if b.kind != "waypoint"]
        self.number = {b.key: n for n, b in enumerate(self.boxes)}
        self.extent: list[tuple[int, int, int, int]] = []
        self._around: dict[int, list[tuple[int, int, float, tuple[int, ...], int, tuple[float, float]]]] = {}
        for n, box in enumerate(self.boxes):
            i0, j0, i1, j1 = self.cover(box)
            self.extent.append((i0, j0, i1, j1))
            for j in range(j0, j1 + 1):
                row = j * self.nx
                for i in range(i0, i1 + 1):
                    was = self.owner[row + i]
                    self.owner[row + i] = n if was in (-1, n) else -2
        for i in range(self.nx):  # the edge of the grid: no line goes there, nor past it
            self.owner[i] = self.owner[size - 1 - i] = -2
        for j in range(self.ny):
            self.owner[j * self.nx] = self.owner[j * self.nx + self.nx - 1] = -2
        #: Cells no line may enter: a box's, or the grid's edge.
        self.blocked = bytes(map((-1).__ne__, self.owner))

    def cover(self, box: Box) -> tuple[int, int, int, int]:
        """The cells whose centre lies within ``box`` grown by the margin (they may be an empty range)."""
        left, bottom, right, top = box.bounds()
        i0 = math.ceil((left - MARGIN - self.x0) / PITCH)
        i1 = math.floor((right + MARGIN - self.x0) / PITCH)
        j0 = math.ceil((bottom - MARGIN - self.y0) / PITCH)
        j1 = math.floor((top + MARGIN - self.y0) / PITCH)
        if i0 > i1:  # a box thinner than a cell still owns the cells its centre is nearest
            i0 = i1 = round((box.x - self.x0) / PITCH)
        if j0 > j1:
            j0 = j1 = round((box.y - self.y0) / PITCH)
        return i0, j0, i1, j1

    def centre(self, cell: int) -> tuple[float, float]:
        """The centre of ``cell``, in points."""
        j, i = divmod(cell, self.nx)
        return self.x0 + i * PITCH, self.y0 + j * PITCH

    def lay(self, a: tuple[float, float], b: tuple[float, float], ends: tuple[int, int]) -> None:
        """Mark the cells a straight line laid before runs through (outside its own ends' boxes)."""
        (ax, ay), (bx, by) = a, b
        flag = _H if abs(bx - ax) >= abs(by - ay) else _V
        reach = PITCH / 2 + 1.0
        i0 = max(0, math.floor((min(ax, bx) - reach - self.x0) / PITCH))
        i1 = min(self.nx - 1, math.ceil((max(ax, bx) + reach - self.x0) / PITCH))
        j0 = max(0, math.floor((min(ay, by) - reach - self.y0) / PITCH))
        j1 = min(self.ny - 1, math.ceil((max(ay, by) + reach - self.y0) / PITCH))
        dx, dy = bx - ax, by - ay
        length = math.hypot(dx, dy)
        for j in range(j0, j1 + 1):
            for i in range(i0, i1 + 1):
                cell = j * self.nx + i
                if self.owner[cell] in ends:
                    continue
                px, py = self.x0 + i * PITCH - ax, self.y0 + j * PITCH - ay
                if length:
                    t = max(0.0, min(1.0, (px * dx + py * dy) / (length * length)))
                    distance = math.hypot(px - t * dx, py - t * dy)
                else:
                    distance = math.hypot(px, py)
                if distance <= reach:
                    self.flags[cell] |= flag

    def terminals(self, n: int) -> _Ends:
        """Where a line may leave or reach box ``n``: free cells beside its sides, :data:`_RINGS` deep.

        Each with the direction leading away, the cost of starting there (farther rings cost
        more), the cells its stub crosses (the straight piece from the box's side, at right
        angles to it) and the point where the stub meets the side.
        """
        if n not in self._around:
            self._around[n] = self._candidates(n)
        flags = self.flags
        return {
            cell: (direction, cost, stub, border)
            for cell, direction, cost, stub, across, border in self._around[n]
            if not flags[cell] and not any(flags[c] & across for c in stub)
        }

    def _candidates(self, n: int) -> list[tuple[int, int, float, tuple[int, ...], int, tuple[float, float]]]:
        """Each cell beside box ``n`` a line may start at: cell, direction, cost, stub, flags it may not cross, border.

        A stub may cross a line at right angles (a vertical stub, a horizontal line), never run
        along one nor pass a cell where a line turns. Only the straight middle of a side that is
        not straight all along (an octagon's, a house's roof) is used.
        """
        i0, j0, i1, j1 = self.extent[n]
        box = self.boxes[n]
        left, bottom, right, top = box.bounds()
        high, low, sides = _SIDES.get(STYLE[box.kind].split(",")[0].removeprefix("shape="), (1.0, 1.0, 1.0))
        out = []
        for r in range(1, _RINGS + 1):
            for direction in (2, 3, 0, 1):  # up, down, right, left
                if direction >= 2:
                    j = j1 + r if direction == 2 else j0 - r
                    cells = [(i, j) for i in range(i0, i1 + 1)]
                else:
                    i = i1 + r if direction == 0 else i0 - r
                    cells = [(i, j) for j in range(j0, j1 + 1)]
                for i, j in cells:
                    if not (0 <= i < self.nx and 0 <= j < self.ny):
                        continue
                    cell = j * self.nx + i
                    x, y = self.centre(cell)
                    if direction >= 2:
                        if abs(x - box.x) > box.w / 2 * (high if direction == 2 else low) - MARGIN:
                            continue
                        border = (x, top if direction == 2 else bottom)
                        step = -self.nx if direction == 2 else self.nx
                        flag = _X | _V
                    else:
                        if abs(y - box.y) > box.h / 2 * sides - MARGIN:
                            continue
                        border = (right if direction == 0 else left, y)
                        step = -1 if direction == 0 else 1
                        flag = _X | _H
                    stub = tuple(cell + step * k for k in range(1, r))
                    if self.owner[cell] != -1 or any(self.owner[c] != -1 for c in stub):
                        continue
                    out.append((cell, direction, _RING_COST * (r - 1), stub, flag, border))
        return out


def _search(grid: _Grid, sources: _Ends, targets: _Ends, goal: tuple[int, int, int, int]) -> list[int]:
    """The cells of the cheapest line from one of ``sources`` to one of ``targets`` (empty: none).

    States are ``cell * 4 + direction``; the distance still to go weighs a little more than the
    way come (:data:`_GREED`), so that the search runs straight at the goal.
    """
    nx, flags, blocked = grid.nx, grid.flags, grid.blocked
    gi0, gj0, gi1, gj1 = goal
    offsets = (1, -1, nx, -nx)
    masks = (_H | _X, _H | _X, _V | _X, _V | _X)
    ends = {cell: end[1] for cell, end in targets.items()}
    best: dict[int, float] = {}
    came: dict[int, int] = {}
    heap: list[tuple[float, float, int]] = []
    for cell, (direction, cost, _, _) in sorted(sources.items()):
        j, i = divmod(cell, nx)
        state = cell * 4 + direction
        best[state] = cost
        came[state] = -1
        guess = max(gi0 - i, 0, i - gi1) + max(gj0 - j, 0, j - gj1)
        heapq.heappush(heap, (cost + _GREED * guess, cost, state))
    budget = _BUDGET
    pop, push = heapq.heappop, heapq.heappush
    while heap and budget:
        budget -= 1
        _, cost, state = pop(heap)
        if cost > best[state]:
            continue
        cell, direction = state >> 2, state & 3
        if cell in ends:
            path = []
            while state != -1:
                path.append(state >> 2)
                state = came[state]
            return path[::-1]
        start = came[state] == -1
        here = flags[cell]
        for turn in range(4):
            step = 1.0
            if not start and turn != direction:
                if turn == direction ^ 1 or here:
                    continue  # no going back, no turn on a line
                step += _BEND
            near = cell + offsets[turn]
            if blocked[near]:
                continue
            flag = flags[near]
            end = ends.get(near)
            if end is None:
                if flag & masks[turn]:
                    continue
            elif flag:
                continue
            else:
                step += end
            if flag:
                step += _CROSS
            new = cost + step
            after = near * 4 + turn
            if new < best.get(after, math.inf):
                best[after] = new
                came[after] = state
                nj, ni = divmod(near, nx)
                guess = (gi0 - ni if ni < gi0 else ni - gi1 if ni > gi1 else 0) + (
                    gj0 - nj if nj < gj0 else nj - gj1 if nj > gj1 else 0
                )
                push(heap, (new + _GREED * guess, new, after))
    return []


def _line(grid: _Grid, a: int, b: int, first_across: bool, ends: _Ends) -> list[int]:
    """The cells from ``a`` to ``b`` along one axis then the other, when they keep the search's rules.

    Horizontally first unless ``first_across``; empty when the line would break a rule.
    """
    nx, flags, blocked = grid.nx, grid.flags, grid.blocked
    (ja, ia), (jb, ib) = divmod(a, nx), divmod(b, nx)
    corner = ja * nx + ib if not first_across else jb * nx + ia
    path = [a]
    cell = a
    for end in (corner, b):
        if cell == end:
            continue
        (j0, i0), (j1, i1) = divmod(cell, nx), divmod(end, nx)
        step = (1 if i1 > i0 else -1) if i1 != i0 else (nx if j1 > j0 else -nx)
        mask = (_H if abs(step) == 1 else _V) | _X
        if len(path) > 1 and flags[cell]:
            return []  # a turn on a line
        while cell != end:
            cell += step
            if cell == b and b in ends:
                if flags[cell]:
                    return []
            elif blocked[cell] or flags[cell] & mask:
                return []
            path.append(cell)
    return path if len(path) > 1 else []


def _simple(grid: _Grid, sources: _Ends, targets: _Ends) -> list[int]:
    """A line with at most one turn between the nearest ends, when one keeps the rules (empty: none)."""
    nx = grid.nx

    def near(ends: _Ends, other: _Ends) -> list[int]:
        j, i = divmod(next(iter(other)), nx)
        return heapq.nsmallest(_NEAREST, ends, key=lambda c: (abs(c % nx - i) + abs(c // nx - j) + ends[c][1], c))

    pairs = []
    for a in near(sources, targets):
        ja, ia = divmod(a, nx)
        start = sources[a]
        for b in near(targets, sources):
            end = targets[b]
            jb, ib = divmod(b, nx)
            pairs.append((abs(ia - ib) + abs(ja - jb) + start[1] + end[1], a, b))
    pairs.sort()
    for _, a, b in pairs[:_TRIES]:
        for first_across in (False, True):
            path = _line(grid, a, b, first_across, targets)
            if path:
                return path
    return []


def _bends(path: list[int]) -> list[int]:
    """The cells of ``path`` where it starts, turns or ends."""
    out = [path[0]]
    for a, b, c in zip(path, path[1:], path[2:], strict=False):
        if b - a != c - b:
            out.append(b)
    if len(path) > 1:
        out.append(path[-1])
    return out


def _mark(grid: _Grid, path: list[int], corners: list[int]) -> None:
    for a, b in itertools.pairwise(path):
        axis = _H if abs(b - a) == 1 else _V
        grid.flags[a] |= axis
        grid.flags[b] |= axis
    for cell in corners:
        grid.flags[cell] |= _X


def route(group: Group) -> None:
    """Route the links of ``group`` whose relation is in :data:`ROUTED` (see the module documentation)."""
    links = group.links
    todo = [k for k, link in enumerate(links) if link.relation in ROUTED and not link.fixed and link.tail != link.head]
    if not todo:
        return
    grid = _Grid(group)
    where = {b.key: b for b in group.boxes}
    for k, link in enumerate(links):
        if k in todo or link.tail not in where or link.head not in where:
            continue
        a, b = where[link.tail], where[link.head]
        ends = (grid.number.get(link.tail, -3), grid.number.get(link.head, -3))
        grid.lay((a.x, a.y), (b.x, b.y), ends)

    def length(k: int) -> tuple[float, int]:
        a, b = where.get(links[k].tail), where.get(links[k].head)
        if a is None or b is None:
            return math.inf, k
        return abs(a.x - b.x) + abs(a.y - b.y), k

    for k in sorted(todo, key=length):
        link = links[k]
        tail, head = grid.number.get(link.tail), grid.number.get(link.head)
        if tail is None or head is None:
            continue
        sources, targets = grid.terminals(tail), grid.terminals(head)
        if not sources or not targets:
            continue
        i0, j0, i1, j1 = grid.extent[head]
        path = _simple(grid, sources, targets) or _search(grid, sources, targets, (i0 - 1, j0 - 1, i1 + 1, j1 + 1))
        if not path:
            continue
        corners = _bends(path)
        _mark(grid, path, corners)
        start, end = sources[path[0]], targets[path[-1]]
        for cell in (*start[2], *end[2]):
            grid.flags[cell] |= _X
        points = [start[3], *(grid.centre(c) for c in corners), end[3]]
        link.extra = ", ".join(filter(None, [link.extra, f'pos="{_spline(points)}"']))


def _spline(points: list[tuple[float, float]]) -> str:
    """A Graphviz edge ``pos``: the polyline through ``points`` as a B-spline, an arrowhead at the last point.

    The line stops an arrowhead's length short of the last point, where the arrowhead's tip is.
    """
    points = [p for k, p in enumerate(points) if not k or p != points[k - 1]]
    (ax, ay), (bx, by) = points[-2], points[-1]
    last = math.hypot(bx - ax, by - ay)
    if last > _ARROW + 1:
        points[-1] = (bx - (bx - ax) * _ARROW / last, by - (by - ay) * _ARROW / last)
    else:
        points.pop()
    controls = [points[0]]
    for p, q in itertools.pairwise(points):
        controls += [p, q, q]
    return " ".join([f"e,{_number(bx)},{_number(by)}", *(f"{_number(x)},{_number(y)}" for x, y in controls)])


def _number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")
