"""The yardstick for bench_http.py: the smallest Flask app, served exactly as Gongshi is."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    return "hello"
